/**
 * The live state of one environment as a ProjectModel, read over MCP: what `pull` writes and what the planner
 * compares the config with. A settings part the target's tools cannot read is left undefined (not managed), and
 * named in `unread` so the command can say so.
 */
import { SOCIAL_PROVIDERS, type AuthConfig } from '../contract/auth-settings.js'
import type { Page } from '../contract/common.js'
import type { MailType } from '../contract/mailbox.js'
import type { Table } from '../contract/tables.js'
import type { AuthModel, EmailModel, EmailSenderModel, ProjectModel, SettingsModel, TableModel } from '../config/model.js'
import type { Management } from './management.js'

/** The settings parts of SettingsModel, in the order messages list them. */
export const SETTINGS_PARTS = ['auth', 'email', 'cors'] as const
export type SettingsPart = (typeof SETTINGS_PARTS)[number]

export interface ProjectState {
  model: ProjectModel
  /** Settings parts this target's tools cannot read (the cloud has no auth or e-mail settings tools). */
  unread: SettingsPart[]
}

/** Table reads in flight at once: enough to hide round trips, few enough not to flood one MCP session. */
const CONCURRENCY = 8

/** Reads tables and project settings of the management's project and environment. */
export async function readProjectState(management: Management): Promise<ProjectState> {
  const listed = await management.listTables()
  const project = await management.getProject()
  const tables = await mapLimited(listed, CONCURRENCY, (t) => management.mcp.call<Table>('backend_table_get', { tableId: t.id }))
  const model: ProjectModel = { tables: Object.fromEntries(tables.map(tableModel).sort((a, b) => (a.name < b.name ? -1 : 1)).map((t) => [t.name, t])) }

  const settings: SettingsModel = {}
  const unread: SettingsPart[] = []
  const has = async (...tools: string[]) => (await Promise.all(tools.map((t) => management.mcp.has(t)))).every(Boolean)
  if (await has('backend_auth_config_get')) settings.auth = authModel(await management.mcp.call<AuthConfig>('backend_auth_config_get', { projectId: project.id }))
  else unread.push('auth')
  if (await has('backend_email_settings_get', 'backend_email_template_list')) settings.email = await emailModel(management, project.id)
  else unread.push('email')
  const origins = project.settings?.allowedOrigins
  if (Array.isArray(origins)) settings.cors = { allowedOrigins: [...origins] }
  else unread.push('cors')
  if (Object.keys(settings).length) model.settings = settings
  return { model, unread }
}

/** A table as the tools return it → the model: no system `_id_` index, no counters or timestamps. */
export function tableModel(table: Table): TableModel {
  return {
    name: table.tableName,
    displayName: table.displayName ?? null,
    description: table.description ?? null,
    schema: table.schema,
    indexes: (table.indexes ?? []).filter((i) => !i.system && i.name !== '_id_').map((i) => ({ name: i.name, fields: i.fields, unique: i.unique ?? false, sparse: i.sparse ?? false })),
    permissions: (table.permissions as TableModel['permissions']) ?? null,
    expressionPermissions: (table.expressionPermissions as TableModel['expressionPermissions']) ?? null,
    columnPermissions: (table.columnPermissions as TableModel['columnPermissions']) ?? null,
    rowFilters: (table.rowFilters as TableModel['rowFilters']) ?? null,
  }
}

function authModel(config: AuthConfig): AuthModel {
  const { passwordPolicy, magicLinkEnabled, magicLinkExpirationMinutes, emailVerificationRequired } = config.email
  const providers = {} as AuthModel['providers']
  for (const name of SOCIAL_PROVIDERS) {
    const p = config.oauth[name]
    // note: a provider never configured (updatedAt null) is the emulator's built-in fake one, whose redirect URI
    // follows the emulator's port: reading it as configured would make every fresh emulator differ from the files
    providers[name] = p && p.updatedAt !== null ? { clientId: p.clientId, redirectUri: p.redirectUri, scopes: [...p.scopes], enabled: p.enabled, hasClientSecret: p.hasClientSecret } : null
  }
  return { passwordPolicy: { ...passwordPolicy }, magicLinkEnabled, magicLinkExpirationMinutes, emailVerificationRequired, providers }
}

async function emailModel(management: Management, projectId: string): Promise<EmailModel> {
  const [sender, templates] = await Promise.all([
    management.mcp.call<EmailSenderModel>('backend_email_settings_get', { projectId }),
    management.mcp.call<Page<{ category: MailType; subject: string; body: string; isCustom: boolean }>>('backend_email_template_list', { projectId }),
  ])
  const custom: EmailModel['templates'] = {}
  for (const t of templates.items) if (t.isCustom) custom[t.category] = { subject: t.subject, body: t.body }
  return { sender: { senderEmail: sender.senderEmail, senderName: sender.senderName, logoUrl: sender.logoUrl ?? null, brandColor: sender.brandColor ?? null, overrideDefaults: sender.overrideDefaults }, templates: custom }
}

/** `fn` over `items` with at most `limit` calls in flight, results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
