/**
 * The planner: a pure function from the desired model (config files) and the live model (an environment) to the
 * steps that make live like desired, in an order the MCP tools accept. No I/O; tested with case tables.
 */
import { SOCIAL_PROVIDERS } from '../contract/auth-settings.js'
import { MAIL_TYPES } from '../contract/mailbox.js'
import type { FieldDef, IndexDef } from '../contract/tables.js'
import type { AuthModel, EmailModel, Plan, PlanStep, PlannedStep, ProjectModel, ProviderModel, SettingsModel, TableModel } from './model.js'

/** Values compared as data: key order never makes a difference. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b)
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  })
}

/** A type change anywhere in a field (itself, its items, its nested properties) leaves stored values that no longer fit. */
function typeChanged(from: FieldDef | undefined, to: FieldDef | undefined): boolean {
  if (!from || !to) return false
  if (from.bsonType !== to.bsonType) return true
  if (typeChanged(from.items, to.items)) return true
  for (const [name, def] of Object.entries(to.properties ?? {})) if (typeChanged(from.properties?.[name], def)) return true
  return false
}

/**
 * Which steps lose data or access that running the push again cannot bring back. Everything else (index, permission,
 * setting and constraint changes) can be undone by editing the files and pushing again.
 */
export function isDestructive(step: PlanStep): boolean {
  switch (step.kind) {
    case 'table.drop': // its records
    case 'field.drop': // the field's values in every record
    case 'provider.delete': // the stored client secret; its users cannot sign in until it is configured again
      return true
    case 'field.change': // values of the old type that no longer fit the new one
      return typeChanged(step.from, step.to)
    default:
      return false
  }
}

function permissionsOf(table: TableModel): Extract<PlanStep, { kind: 'permissions.set' }>['to'] {
  return { permissions: table.permissions, expressionPermissions: table.expressionPermissions, columnPermissions: table.columnPermissions, rowFilters: table.rowFilters }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Steps for a table that exists on both sides, in the order they apply: drops before what could collide with them. */
function tableSteps(desired: TableModel, live: TableModel): PlanStep[] {
  const table = desired.name
  const steps: PlanStep[] = []
  const update: Extract<PlanStep, { kind: 'table.update' }> = { kind: 'table.update', table }
  if (desired.displayName !== live.displayName) update.displayName = desired.displayName
  if (desired.description !== live.description) update.description = desired.description
  if ('displayName' in update || 'description' in update) steps.push(update)

  const liveIndexes = new Map(live.indexes.map((i) => [i.name, i]))
  const desiredIndexes = new Map(desired.indexes.map((i) => [i.name, i]))
  // An index goes before the fields it covers, so dropping a field never meets an index that still names it.
  for (const name of [...liveIndexes.keys()].sort(byName)) if (!desiredIndexes.has(name)) steps.push({ kind: 'index.drop', table, name })

  const liveFields = live.schema.properties
  const desiredFields = desired.schema.properties
  const liveRequired = new Set(live.schema.required)
  const desiredRequired = new Set(desired.schema.required)
  for (const field of Object.keys(liveFields).sort(byName)) if (!(field in desiredFields)) steps.push({ kind: 'field.drop', table, field })
  for (const field of Object.keys(desiredFields).sort(byName)) {
    const to = desiredFields[field]!
    const from = liveFields[field]
    if (!from) steps.push({ kind: 'field.add', table, field, definition: to, required: desiredRequired.has(field) })
    else if (!sameValue(from, to)) steps.push({ kind: 'field.change', table, field, from, to })
  }
  for (const field of [...liveRequired].sort(byName)) if (!desiredRequired.has(field) && field in desiredFields) steps.push({ kind: 'required.remove', table, field })
  for (const field of [...desiredRequired].sort(byName)) if (!liveRequired.has(field) && field in liveFields) steps.push({ kind: 'required.add', table, field })

  for (const name of [...desiredIndexes.keys()].sort(byName)) {
    const to = desiredIndexes.get(name)!
    const from = liveIndexes.get(name)
    if (!from) steps.push({ kind: 'index.add', table, index: to })
    else if (!sameIndex(from, to)) steps.push({ kind: 'index.change', table, from, to })
  }
  const fromPermissions = permissionsOf(live)
  const toPermissions = permissionsOf(desired)
  if (!sameValue(fromPermissions, toPermissions)) steps.push({ kind: 'permissions.set', table, from: fromPermissions, to: toPermissions })
  return steps
}

function sameIndex(a: IndexDef, b: IndexDef): boolean {
  // Field order of a compound index matters, so the fields are compared as ordered pairs.
  return sameValue(Object.entries(a.fields), Object.entries(b.fields)) && a.unique === b.unique && a.sparse === b.sparse
}

function providerDiffers(desired: ProviderModel, live: ProviderModel | null): boolean {
  if (!live) return true
  const shape = (p: ProviderModel) => ({ clientId: p.clientId, redirectUri: p.redirectUri, scopes: [...p.scopes].sort(byName), enabled: p.enabled })
  if (!sameValue(shape(desired), shape(live))) return true
  // note: a stored secret is never read back, so a given one is only planned when none is stored; rotating a secret
  // is `bkend auth providers set`, or it travels with any other change of the provider.
  return desired.clientSecret !== undefined && live.hasClientSecret !== true
}

function authSettings(auth: AuthModel): Omit<AuthModel, 'providers'> {
  const { providers: _providers, ...rest } = auth
  return rest
}

function authSteps(desired: AuthModel, live: AuthModel): PlanStep[] {
  const steps: PlanStep[] = []
  const fromAuth = authSettings(live)
  const toAuth = authSettings(desired)
  if (!sameValue(fromAuth, toAuth)) steps.push({ kind: 'auth.update', from: fromAuth, to: toAuth })
  for (const provider of SOCIAL_PROVIDERS) {
    const to = desired.providers[provider]
    const from = live.providers[provider]
    if (to && providerDiffers(to, from)) steps.push({ kind: 'provider.set', provider, from, to })
    else if (!to && from) steps.push({ kind: 'provider.delete', provider })
  }
  return steps
}

function emailSteps(desired: EmailModel, live: EmailModel): PlanStep[] {
  const steps: PlanStep[] = []
  if (!sameValue(desired.sender, live.sender)) steps.push({ kind: 'email.sender', from: live.sender, to: desired.sender })
  // note: no tool resets a template to the built-in one, so a template absent from config is left as it is; turning
  // `overrideDefaults` off is how a project goes back to the built-in templates.
  for (const category of MAIL_TYPES) {
    const to = desired.templates[category]
    const from = live.templates[category] ?? null
    if (to && !sameValue(from, to)) steps.push({ kind: 'email.template', category, from, to })
  }
  return steps
}

/** Each settings part is planned only when both sides manage it. */
function settingsSteps(desired: SettingsModel, live: SettingsModel): PlanStep[] {
  const steps: PlanStep[] = []
  if (desired.auth && live.auth) steps.push(...authSteps(desired.auth, live.auth))
  if (desired.email && live.email) steps.push(...emailSteps(desired.email, live.email))
  if (desired.cors && live.cors) {
    const sorted = (origins: string[]) => [...origins].sort(byName)
    if (!sameValue(sorted(live.cors.allowedOrigins), sorted(desired.cors.allowedOrigins))) steps.push({ kind: 'cors.set', from: live.cors.allowedOrigins, to: desired.cors.allowedOrigins })
  }
  return steps
}

/**
 * The plan that makes `live` like `desired`: new tables first (so references and indexes find them), then changes
 * table by table, then dropped tables, then project settings. A settings part absent on either side plans nothing.
 */
export function plan(desired: ProjectModel, live: ProjectModel): Plan {
  const steps: PlanStep[] = []
  const desiredNames = Object.keys(desired.tables).sort(byName)
  const liveNames = Object.keys(live.tables).sort(byName)
  for (const name of desiredNames) if (!live.tables[name]) steps.push({ kind: 'table.create', table: name, model: desired.tables[name]! })
  for (const name of desiredNames) if (live.tables[name]) steps.push(...tableSteps(desired.tables[name]!, live.tables[name]!))
  for (const name of liveNames) if (!desired.tables[name]) steps.push({ kind: 'table.drop', table: name })
  if (desired.settings && live.settings) steps.push(...settingsSteps(desired.settings, live.settings))
  const planned: PlannedStep[] = steps.map((step) => ({ ...step, destructive: isDestructive(step) }))
  return { steps: planned, destructive: planned.some((s) => s.destructive) }
}
