import type { FieldDef, PermissionMap, Table } from '../../../../contract/tables.js'
import { effectivePermissions } from '../../../core/data/permissions/policy.js'
import { OPERATIONS, type Operation } from '../../../core/data/model.js'
import { ToolError } from '../../../mcp/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult, ConsoleRoute, FormState } from '../context.js'
import { confirmed, confirmForm, confirmPage, done, envPath, errorAlert, fieldError, invalidAttrs, statusOf } from '../layout.js'
import { parseJson } from './tables.js'

const BASE = '/o/:org/p/:project/e/:env/tables/:table'
const TYPES = ['string', 'int', 'double', 'bool', 'date', 'object', 'array', 'objectId']
const GROUPS = ['admin', 'user', 'guest', 'self'] as const

/** The table the URL names, as the MCP tool returns it (the role matrix applies). */
export async function tableOf(ctx: ConsoleContext): Promise<Table> {
  const id = ctx.core.tables.resolve(ctx.env!.id, ctx.params.table as string).id
  return ctx.tool<Table>('backend_table_get', { tableId: id })
}

export const tablePath = (ctx: ConsoleContext, table: Pick<Table, 'tableName'>) => `${envPath(ctx)}/tables/${encodeURIComponent(table.tableName)}`

/** A post that changes the table: the tool call, then back to the page, or the page with the error at its form. */
function action(path: string, form: string, run: (ctx: ConsoleContext, table: Table) => Promise<string | ConsoleResult>): ConsoleRoute {
  return {
    method: 'POST',
    path: `${BASE}${path}`,
    level: 'env',
    handle: async (ctx) => {
      const table = await tableOf(ctx)
      try {
        const outcome = await run(ctx, table)
        return typeof outcome === 'string' ? done(tablePath(ctx, table), outcome) : outcome
      } catch (error) {
        if (!(error instanceof ToolError) || error.code === 'INTERNAL_ERROR') throw error
        return render(ctx, table, { form, error, values: ctx.form }, statusOf(error))
      }
    },
  }
}

/** A table's schema, indexes and permissions, each viewable and editable, and deleting it. */
export const tablePage: ConsolePage = {
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: async (ctx) => render(ctx, await tableOf(ctx), {}) },
    action('/fields', 'field', async (ctx, table) => {
      const name = (ctx.form.name ?? '').trim()
      const def: Record<string, unknown> = { type: ctx.form.type ?? 'string' }
      if (ctx.form.required === 'on') def.required = true
      await ctx.tool('backend_field_manage', { tableId: table.id, body: { fieldsToAddOrUpdate: { [name]: def } } })
      return `Field ${name} saved`
    }),
    action('/fields/remove', 'field', async (ctx, table) => {
      const name = ctx.form.name ?? ''
      if (!confirmed(ctx)) return confirmStep(ctx, table, `/fields/remove`, `Remove the field ${name} from ${table.tableName}? Its values are deleted from every record.`)
      await ctx.tool('backend_field_manage', { tableId: table.id, body: { fieldsToRemove: [name] } })
      return `Field ${name} removed`
    }),
    action('/indexes', 'index', async (ctx, table) => {
      const name = (ctx.form.name ?? '').trim()
      await ctx.tool('backend_index_manage', { tableId: table.id, body: { indexesToAddOrUpdate: [{ name, fields: indexFields(ctx.form.fields ?? ''), unique: ctx.form.unique === 'on', sparse: ctx.form.sparse === 'on' }] } })
      return `Index ${name} saved`
    }),
    action('/indexes/remove', 'index', async (ctx, table) => {
      const name = ctx.form.name ?? ''
      if (!confirmed(ctx)) return confirmStep(ctx, table, '/indexes/remove', `Remove the index ${name} from ${table.tableName}?`)
      await ctx.tool('backend_index_manage', { tableId: table.id, body: { indexesToRemove: [name] } })
      return `Index ${name} removed`
    }),
    action('/permissions', 'permissions', async (ctx, table) => {
      const permissions = ctx.form.defaults === 'yes' ? null : permissionsOf(ctx.form)
      await ctx.tool('backend_table_update', { tableId: table.id, body: { permissions } })
      return permissions === null ? 'Permissions reset to the defaults' : 'Permissions saved'
    }),
    action('/policy', 'policy', async (ctx, table) => {
      const body: Record<string, unknown> = {}
      for (const key of ['expressionPermissions', 'columnPermissions', 'rowFilters']) body[key] = parseJson(key, (ctx.form[key] ?? '').trim() || 'null')
      await ctx.tool('backend_table_update', { tableId: table.id, body })
      return 'Rules saved'
    }),
    action('/delete', 'delete', async (ctx, table) => {
      if (!confirmed(ctx)) return confirmStep(ctx, table, '/delete', `Delete the table ${table.tableName} with its ${table.documentCount} records? This cannot be undone.`)
      await ctx.tool('backend_table_delete', { tableId: table.id })
      return done(`${envPath(ctx)}/tables`, `Table ${table.tableName} deleted`)
    }),
  ],
}

function confirmStep(ctx: ConsoleContext, table: Table, path: string, message: string): ConsoleResult {
  return { ...confirmPage(`${tablePath(ctx, table)}${path}`, message, tablePath(ctx, table), ctx.form), page: 'tables' }
}

/** `title:1, createdAt:-1` → `{ title: 1, createdAt: -1 }`; a bad direction is the tool's validation error. */
function indexFields(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field = '', direction = '1'] = part.split(':').map((s) => s.trim())
    const n = Number(direction)
    if (n !== 1 && n !== -1) throw new ToolError('VALIDATION_ERROR', `index direction of ${field} must be 1 or -1`, [{ field: 'fields', rule: 'direction', message: 'each field is name or name:1 or name:-1' }])
    out[field] = n
  }
  return out
}

/** The checkbox grid as a permission map (an unchecked box is `false`, so the map is complete). */
function permissionsOf(form: Record<string, string>): PermissionMap {
  const map: PermissionMap = {}
  for (const group of GROUPS) map[group] = Object.fromEntries(opsOf(group).map((op) => [op, form[`${group}.${op}`] === 'on']))
  return map
}

const opsOf = (group: (typeof GROUPS)[number]): Operation[] => (group === 'self' ? OPERATIONS.filter((op) => op !== 'create') : [...OPERATIONS])

function render(ctx: ConsoleContext, table: Table, state: FormState, status = 200) {
  const path = tablePath(ctx, table)
  const only = (form: string): FormState => (state.form === form ? state : {})
  const body = `<p><a class="button" href="${e(`${path}/records`)}" id="open-records">Records (${table.documentCount})</a></p>
<p class="muted">${e(table.description ?? '')} Schema version ${table.schemaVersion}, index version ${table.indexVersion}.</p>
<h2 id="fields">Fields</h2>${fieldsSection(ctx, table, only('field'))}
<h2 id="indexes">Indexes</h2>${indexesSection(table, path, only('index'))}
<h2 id="permissions">Permissions</h2>${permissionsSection(table, path, only('permissions'))}
<h2 id="rules">Expression rules, column permissions, row filters</h2>${policySection(table, path, only('policy'))}
<h2 id="danger">Delete</h2>${errorAlert(only('delete'))}${confirmForm(`${path}/delete`, 'Delete table', `Delete the table ${table.tableName} with its ${table.documentCount} records? This cannot be undone.`, 'delete-table')}`
  return { status, title: table.displayName ? `${table.tableName} (${table.displayName})` : table.tableName, page: 'tables', body }
}

function fieldsSection(ctx: ConsoleContext, table: Table, state: FormState): string {
  const path = tablePath(ctx, table)
  const required = new Set(table.schema.required)
  const rows = Object.entries(table.schema.properties).map(([name, def]) => `<tr data-field="${e(name)}"><td><code>${e(name)}</code></td><td>${e(def.bsonType)}</td><td>${required.has(name) ? 'yes' : ''}</td><td><code>${e(constraints(def))}</code></td><td>${confirmForm(`${path}/fields/remove`, 'Remove', `Remove the field ${name} from ${table.tableName}? Its values are deleted from every record.`, `remove-field-${name}`, { name })}</td></tr>`)
  const list = rows.length === 0 ? '<p class="muted">No fields yet.</p>' : `<div class="scroll"><table id="field-list"><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Constraints</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  const v = state.values ?? {}
  const types = TYPES.map((t) => `<option${(v.type ?? 'string') === t ? ' selected' : ''}>${t}</option>`).join('')
  return `${list}${errorAlert(state)}<form class="inline" method="post" action="${e(`${path}/fields`)}" id="add-field">
<label for="f-name">Field name<input id="f-name" name="name" required value="${e(v.name ?? '')}"${invalidAttrs(state, () => true, 'f-name')}>${fieldError(state, () => true, 'f-name')}</label>
<label for="f-type">Type<select id="f-type" name="type">${types}</select></label>
<label class="check"><input type="checkbox" name="required"${v.required === 'on' ? ' checked' : ''}> Required</label>
<button type="submit">Add or change field</button></form>`
}

function constraints(def: FieldDef): string {
  const { bsonType: _type, ...rest } = def
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : ''
}

function indexesSection(table: Table, path: string, state: FormState): string {
  const rows = table.indexes.map((index) => `<tr data-index="${e(index.name)}"><td><code>${e(index.name)}</code></td><td><code>${e(Object.entries(index.fields).map(([f, d]) => `${f}:${d}`).join(', '))}</code></td><td>${index.unique ? 'unique' : ''}${index.sparse ? ' sparse' : ''}</td><td>${index.system ? '<span class="muted">system</span>' : confirmForm(`${path}/indexes/remove`, 'Remove', `Remove the index ${index.name} from ${table.tableName}?`, `remove-index-${index.name}`, { name: index.name })}</td></tr>`)
  const v = state.values ?? {}
  return `<div class="scroll"><table id="index-list"><thead><tr><th scope="col">Name</th><th scope="col">Fields</th><th scope="col">Kind</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${errorAlert(state)}
<form class="inline" method="post" action="${e(`${path}/indexes`)}" id="add-index">
<label for="i-name">Index name<input id="i-name" name="name" required value="${e(v.name ?? '')}"${invalidAttrs(state, 'name', 'i-name')}>${fieldError(state, 'name', 'i-name')}</label>
<label for="i-fields">Fields (name:1 or name:-1, comma-separated)<input id="i-fields" name="fields" required value="${e(v.fields ?? '')}"${invalidAttrs(state, (f) => f !== 'name', 'i-fields')}>${fieldError(state, (f) => f !== 'name', 'i-fields')}</label>
<label class="check"><input type="checkbox" name="unique"${v.unique === 'on' ? ' checked' : ''}> Unique</label><label class="check"><input type="checkbox" name="sparse"${v.sparse === 'on' ? ' checked' : ''}> Sparse</label>
<button type="submit">Add or replace index</button></form>`
}

function permissionsSection(table: Table, path: string, state: FormState): string {
  const map = effectivePermissions(table as unknown as Parameters<typeof effectivePermissions>[0])
  const head = OPERATIONS.map((op) => `<th scope="col">${op}</th>`).join('')
  const rows = GROUPS.map((group) => {
    const cells = OPERATIONS.map((op) => {
      if (!opsOf(group).includes(op)) return '<td class="muted">—</td>'
      const checked = map[group]?.[op] === true || (op === 'list' && map[group]?.list === undefined && map[group]?.read === true)
      return `<td><input type="checkbox" name="${group}.${op}" id="p-${group}-${op}" aria-label="${group} may ${op}"${checked ? ' checked' : ''}></td>`
    })
    return `<tr><th scope="row">${group}</th>${cells.join('')}</tr>`
  })
  const origin = table.permissions === null || Object.keys(table.permissions).length === 0 ? '<p class="muted" id="permissions-origin">None configured: the defaults below apply.</p>' : '<p class="muted" id="permissions-origin">Configured for this table.</p>'
  return `${origin}${errorAlert(state)}<form method="post" action="${e(`${path}/permissions`)}" id="permissions-form"><div class="scroll"><table id="permission-grid"><thead><tr><th scope="col">Group</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
<p><button type="submit">Save permissions</button> <button type="submit" class="secondary" name="defaults" value="yes">Reset to defaults</button></p></form>`
}

function policySection(table: Table, path: string, state: FormState): string {
  const v = state.values
  const area = (key: 'expressionPermissions' | 'columnPermissions' | 'rowFilters', label: string) => {
    const text = v ? (v[key] ?? '') : table[key] === null || table[key] === undefined ? '' : JSON.stringify(table[key], null, 2)
    return `<label for="r-${key}">${label}<textarea id="r-${key}" name="${key}"${invalidAttrs(state, key, `r-${key}`)}>${e(text)}</textarea>${fieldError(state, key, `r-${key}`)}</label>`
  }
  return `${errorAlert(state)}<form class="stack" method="post" action="${e(`${path}/policy`)}" id="policy-form">
${area('expressionPermissions', 'Expression permissions (JSON, empty for none)')}${area('columnPermissions', 'Column permissions (JSON, empty for none)')}${area('rowFilters', 'Row filters (JSON array, empty for none)')}
<div><button type="submit">Save rules</button></div></form>`
}
