/**
 * Project config as code: the in-memory model the config files load into, the live state of an environment reads
 * into, and the plan between the two. Everything is in the stored vocabulary of the MCP tools (bsonType schemas,
 * index and permission objects as `backend_table_get` returns them), so comparing is comparing values and applying
 * is calling tools. Types only; the files' own spelling (abstract field types) is converted at the edge.
 */
import type { PasswordPolicySettings, SocialProvider } from '../contract/auth-settings.js'
import type { MailType } from '../contract/mailbox.js'
import type { ColumnPermissions, ExpressionPermissions, IndexDef, ObjectSchema, PermissionMap, RowFilter } from '../contract/tables.js'

/** One table: the same in every environment. `indexes` never holds the system `_id_` index. */
export interface TableModel {
  name: string
  displayName: string | null
  description: string | null
  schema: ObjectSchema
  indexes: IndexDef[]
  permissions: PermissionMap | null
  expressionPermissions: ExpressionPermissions | null
  columnPermissions: ColumnPermissions | null
  rowFilters: RowFilter[] | null
}

/** A social provider as config holds it. The secret is write-only: config names where to read it, live state only whether one is stored. */
export interface ProviderModel {
  clientId: string
  redirectUri: string
  scopes: string[]
  enabled: boolean
  /** Config: the secret to push (already resolved from its environment variable), or undefined to keep the stored one. */
  clientSecret?: string
  /** Live state: whether a secret is stored. */
  hasClientSecret?: boolean
}

export interface AuthModel {
  passwordPolicy: PasswordPolicySettings
  magicLinkEnabled: boolean
  magicLinkExpirationMinutes: number
  emailVerificationRequired: boolean
  /** null = not configured (absent from config, or deleted). */
  providers: Record<SocialProvider, ProviderModel | null>
}

export interface EmailSenderModel {
  senderEmail: string
  senderName: string
  logoUrl: string | null
  brandColor: string | null
  overrideDefaults: boolean
}

export interface EmailModel {
  sender: EmailSenderModel
  /** Only customised templates; a category absent here uses the built-in template. */
  templates: Partial<Record<MailType, { subject: string; body: string }>>
}

/**
 * Project-level settings (console-model.md CM-D4: shared by every environment of the project). Each part may be
 * `undefined` = not managed: `project.json` may leave a section out, and a target whose tools cannot read a part
 * (the cloud has no auth or e-mail settings tools) leaves it out of the live state, so the planner skips it.
 */
export interface SettingsModel {
  auth?: AuthModel
  email?: EmailModel
  cors?: { allowedOrigins: string[] }
}

/**
 * A whole project's config, or the live state of one environment. A part that is `undefined` is not managed: a
 * config folder without `project.json` leaves settings alone, and the planner plans nothing for it.
 */
export interface ProjectModel {
  /** By table name, sorted by name when written. */
  tables: Record<string, TableModel>
  settings?: SettingsModel
}

/** What a destructive or blocking step would touch, measured on the live environment before the plan is shown. */
export interface Impact {
  /** e.g. records of a dropped table, records holding a dropped field, records missing a newly required field. */
  records?: number
  /** Groups of records that share a value of a new unique index (the index cannot be created). */
  duplicateGroups?: number
  /** One line for people: "412 records hold `legacyScore`". */
  summary?: string
}

/** The steps a plan is made of, in the order they are applied. */
export type PlanStep =
  | { kind: 'table.create'; table: string; model: TableModel }
  | { kind: 'table.drop'; table: string }
  | { kind: 'table.update'; table: string; displayName?: string | null; description?: string | null }
  | { kind: 'field.add'; table: string; field: string; definition: ObjectSchema['properties'][string]; required: boolean }
  | { kind: 'field.change'; table: string; field: string; from: ObjectSchema['properties'][string]; to: ObjectSchema['properties'][string] }
  | { kind: 'field.drop'; table: string; field: string }
  | { kind: 'required.add'; table: string; field: string }
  | { kind: 'required.remove'; table: string; field: string }
  | { kind: 'index.add'; table: string; index: IndexDef }
  | { kind: 'index.change'; table: string; from: IndexDef; to: IndexDef }
  | { kind: 'index.drop'; table: string; name: string }
  | {
      kind: 'permissions.set'
      table: string
      from: Pick<TableModel, 'permissions' | 'expressionPermissions' | 'columnPermissions' | 'rowFilters'>
      to: Pick<TableModel, 'permissions' | 'expressionPermissions' | 'columnPermissions' | 'rowFilters'>
    }
  | { kind: 'auth.update'; from: Omit<AuthModel, 'providers'>; to: Omit<AuthModel, 'providers'> }
  | { kind: 'provider.set'; provider: SocialProvider; from: ProviderModel | null; to: ProviderModel }
  | { kind: 'provider.delete'; provider: SocialProvider }
  | { kind: 'email.sender'; from: EmailSenderModel; to: EmailSenderModel }
  | { kind: 'email.template'; category: MailType; from: { subject: string; body: string } | null; to: { subject: string; body: string } | null }
  | { kind: 'cors.set'; from: string[]; to: string[] }

export type PlannedStep = PlanStep & {
  /** Loses data or access that a re-run cannot bring back (a dropped table or field, a deleted provider). */
  destructive: boolean
  /** Filled from the live environment for destructive and blocking steps. */
  impact?: Impact
}

export interface Plan {
  steps: PlannedStep[]
  /** True when any step is destructive: a push refuses the whole plan without --allow-destructive. */
  destructive: boolean
}
