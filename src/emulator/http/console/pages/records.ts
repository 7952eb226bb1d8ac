import type { Page } from '../../../../contract/common.js'
import type { DataRecord, FieldDef, Table } from '../../../../contract/tables.js'
import { ToolError } from '../../../mcp/errors.js'
import { plural } from '../../../../ui/format.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleRoute, FormState } from '../context.js'
import { confirmed, confirmForm, confirmPage, done, errorAlert, fieldError, hiddenInputs, invalidAttrs, statusOf } from '../layout.js'
import { tableOf, tablePath } from './table.js'

const BASE = '/o/:org/p/:project/e/:env/tables/:table/records'
const LIMITS = [20, 50, 100]
const OPS: Record<string, string> = { eq: '$eq', ne: '$ne', gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte', contains: '$regex' }
const OP_LABELS: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', contains: 'contains' }

type Fields = [string, FieldDef][]

/** The records of a table in a grid (filter, search, sort, paging), inserting, editing and deleting one. */
export const recordsPage: ConsolePage = {
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: async (ctx) => grid(ctx, await tableOf(ctx), {}) },
    {
      method: 'POST',
      path: BASE,
      level: 'env',
      handle: async (ctx) => {
        const table = await tableOf(ctx)
        try {
          const record = await ctx.tool<DataRecord>('backend_data_create', { tableId: table.id, body: valuesOf(fieldsOf(table), ctx.form, null) })
          return done(recordsPath(ctx, table), `Record ${record.id} created`)
        } catch (error) {
          return retry(error, () => grid(ctx, table, { form: 'insert', error: error as ToolError, values: ctx.form }, statusOf(error as ToolError)))
        }
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:id`,
      level: 'env',
      handle: async (ctx) => {
        const table = await tableOf(ctx)
        return editor(ctx, table, await ctx.tool<DataRecord>('backend_data_get', { tableId: table.id, id: ctx.params.id }), {})
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:id`,
      level: 'env',
      handle: async (ctx) => {
        const table = await tableOf(ctx)
        const record = await ctx.tool<DataRecord>('backend_data_get', { tableId: table.id, id: ctx.params.id })
        try {
          const changes = valuesOf(fieldsOf(table), ctx.form, record)
          if (Object.keys(changes).length === 0) return done(recordsPath(ctx, table), 'Nothing changed')
          await ctx.tool('backend_data_update', { tableId: table.id, id: record.id, body: changes })
          return done(recordsPath(ctx, table), `Record ${record.id} saved`)
        } catch (error) {
          return retry(error, () => editor(ctx, table, record, { error: error as ToolError, values: ctx.form }, statusOf(error as ToolError)))
        }
      },
    },
    deleteRoute(),
  ],
}

function deleteRoute(): ConsoleRoute {
  return {
    method: 'POST',
    path: `${BASE}/:id/delete`,
    level: 'env',
    handle: async (ctx) => {
      const table = await tableOf(ctx)
      const id = ctx.params.id as string
      const back = recordsPath(ctx, table)
      if (!confirmed(ctx)) return { ...confirmPage(`${back}/${encodeURIComponent(id)}/delete`, deleteMessage(table, id), back, ctx.form), page: 'tables' }
      await ctx.tool('backend_data_delete', { tableId: table.id, id })
      return done(back, `Record ${id} deleted`)
    },
  }
}

const deleteMessage = (table: Table, id: string) => `Delete the record ${id} from ${table.tableName}? This cannot be undone.`
const recordsPath = (ctx: ConsoleContext, table: Table) => `${tablePath(ctx, table)}/records`
const fieldsOf = (table: Table): Fields => Object.entries(table.schema.properties)

function retry<T>(error: unknown, render: () => T): T {
  if (!(error instanceof ToolError) || error.code === 'INTERNAL_ERROR') throw error
  return render()
}

/** The list call the grid's query asks for: sort, direction, search, one filter condition, page and size. */
function listArgs(table: Table, query: Record<string, string>) {
  const fields = new Map(fieldsOf(table))
  const args: Record<string, unknown> = { tableId: table.id, page: query.page || 1, limit: LIMITS.includes(Number(query.limit)) ? Number(query.limit) : 50 }
  if (query.sort) args.sortBy = query.sort
  args.sortDirection = query.dir === 'asc' ? 'asc' : 'desc'
  if (query.q) args.search = query.q
  if (query.field && query.op && OPS[query.op] && query.value !== undefined && query.value !== '') {
    const def = fields.get(query.field)
    const value = query.op === 'contains' ? query.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : typed(def, query.value)
    args.andFilters = { [query.field]: query.op === 'contains' ? { $regex: value, $options: 'i' } : { [OPS[query.op] as string]: value } }
  }
  return args
}

async function grid(ctx: ConsoleContext, table: Table, state: FormState, status = 200) {
  const path = recordsPath(ctx, table)
  const query = ctx.query
  const list = await ctx.tool<Page<DataRecord>>('backend_data_list', listArgs(table, query))
  const fields = fieldsOf(table)
  const columns = ['id', ...fields.map(([name]) => name), 'createdAt', 'updatedAt']
  const link = (changes: Record<string, string | number>) => `${path}?${new URLSearchParams({ ...pick(query, ['sort', 'dir', 'q', 'field', 'op', 'value', 'limit']), ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, String(v)])) })}`
  const sortBy = query.sort || 'id'
  const dir = query.dir === 'asc' ? 'asc' : 'desc'
  const head = columns.map((column) => {
    const active = column === sortBy
    const next = active && dir === 'desc' ? 'asc' : 'desc'
    return `<th scope="col"${active ? ` aria-sort="${dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${e(link({ sort: column, dir: next, page: 1 }))}" data-sort="${e(column)}">${e(column)}${active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`
  })
  const rows = list.items.map((record) => {
    const cells = columns.map((column) => `<td class="value" data-column="${e(column)}">${e(shown(record[column]))}</td>`)
    const href = `${path}/${encodeURIComponent(record.id)}`
    return `<tr data-id="${e(record.id)}">${cells.join('')}<td class="actions"><a href="${e(href)}">Edit</a> ${confirmForm(`${href}/delete`, 'Delete', deleteMessage(table, record.id), `delete-${record.id}`)}</td></tr>`
  })
  const p = list.pagination
  const pager = `<nav class="pager" aria-label="Pages">${p.hasPrev ? `<a href="${e(link({ page: p.page - 1 }))}" rel="prev" id="prev-page">Previous</a>` : ''}<span id="page-info">Page ${p.page} of ${Math.max(1, p.totalPages)} · ${plural(p.total, 'record')}</span>${p.hasNext ? `<a href="${e(link({ page: p.page + 1 }))}" rel="next" id="next-page">Next</a>` : ''}</nav>`
  const table_ = rows.length === 0 ? '<p class="muted" id="no-records">No records match.</p>' : `<div class="scroll"><table id="records"><thead><tr>${head.join('')}<th scope="col"><span class="muted">Actions</span></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  // The insert form comes first, folded, so a full page of records does not push it out of reach; open after an error.
  const insert = `<details id="insert"${state.error ? ' open' : ''}><summary>Insert a record</summary>${errorAlert(state)}${recordForm(path, fields, state, null, 'insert-form', 'Insert record')}</details>`
  const body = `<p><a href="${e(tablePath(ctx, table))}">Schema, indexes and permissions</a></p>${insert}${filterForm(path, columns, query)}${pager}${table_}`
  return { status, title: `${table.tableName}: records`, page: 'tables', body }
}

function filterForm(path: string, columns: string[], query: Record<string, string>): string {
  const fieldOptions = columns.map((c) => `<option${query.field === c ? ' selected' : ''}>${e(c)}</option>`).join('')
  const opOptions = Object.keys(OPS).map((op) => `<option value="${op}"${query.op === op ? ' selected' : ''}>${e(OP_LABELS[op] as string)}</option>`).join('')
  const limits = LIMITS.map((n) => `<option${Number(query.limit || 50) === n ? ' selected' : ''}>${n}</option>`).join('')
  return `<form class="inline" method="get" action="${e(path)}" id="filter-form" role="search">${hiddenInputs(pick(query, ['sort', 'dir']))}
<label for="q">Search<input id="q" name="q" type="search" value="${e(query.q ?? '')}"></label>
<label for="filter-field">Field<select id="filter-field" name="field"><option value="">—</option>${fieldOptions}</select></label>
<label for="filter-op">Condition<select id="filter-op" name="op">${opOptions}</select></label>
<label for="filter-value">Value<input id="filter-value" name="value" value="${e(query.value ?? '')}"></label>
<label for="limit">Per page<select id="limit" name="limit">${limits}</select></label>
<button type="submit">Apply</button> <a href="${e(path)}">Clear</a></form>`
}

/** Inputs for each field, typed by its definition; `record` is the one being edited, null when inserting. */
function recordForm(action: string, fields: Fields, state: FormState, record: DataRecord | null, id: string, label: string): string {
  const v = state.values
  const inputs = fields.map(([name, def]) => {
    const key = `f.${name}`
    const inputId = `${id}-${name}`
    const current = v ? (v[key] ?? '') : record ? formValue(def, record[name]) : ''
    const attrs = `id="${e(inputId)}" name="${e(key)}"${invalidAttrs(state, name, inputId)}`
    let control: string
    if (def.bsonType === 'bool') control = `<select ${attrs}>${['', 'true', 'false'].map((o) => `<option value="${o}"${current === o ? ' selected' : ''}>${o || '(none)'}</option>`).join('')}</select>`
    else if (def.bsonType === 'object' || def.bsonType === 'array') control = `<textarea ${attrs} placeholder="${def.bsonType === 'array' ? '[ ]' : '{ }'}">${e(current)}</textarea>`
    else control = `<input ${attrs} value="${e(current)}"${def.bsonType === 'int' || def.bsonType === 'double' ? ' inputmode="decimal"' : ''}>`
    return `<label for="${e(inputId)}">${e(name)} <span class="muted">${e(def.bsonType)}</span>${control}${fieldError(state, name, inputId)}</label>`
  })
  const unnamed = fieldError(state, (f) => !fields.some(([name]) => f === name || f.startsWith(`${name}.`)), `${id}-other`)
  return `<form class="stack" method="post" action="${e(action)}" id="${e(id)}">${inputs.join('')}${unnamed}<div><button type="submit">${e(label)}</button></div></form>`
}

function editor(ctx: ConsoleContext, table: Table, record: DataRecord, state: FormState, status = 200) {
  const path = `${recordsPath(ctx, table)}/${encodeURIComponent(record.id)}`
  const meta = `<p class="muted">Created ${e(record.createdAt)} · updated ${e(record.updatedAt)}</p>`
  const body = `<p><a href="${e(recordsPath(ctx, table))}">Back to the records</a></p>${meta}${errorAlert(state)}${recordForm(path, fieldsOf(table), state, record, 'edit-form', 'Save record')}
<h2>Delete</h2>${confirmForm(`${path}/delete`, 'Delete record', deleteMessage(table, record.id), 'delete-record')}`
  return { status, title: `${table.tableName}: ${record.id}`, page: 'tables', body }
}

/**
 * The form's `f.<field>` inputs as record values typed by the schema. Inserting, empty inputs are left out;
 * editing, only what differs from the record is sent, and an emptied input clears the field (null).
 * Text that is not a number stays text, so the tool's own validation names the field.
 */
function valuesOf(fields: Fields, form: Record<string, string>, record: DataRecord | null): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, def] of fields) {
    const text = form[`f.${name}`]
    if (text === undefined) continue
    if (record) {
      if (text === formValue(def, record[name])) continue
      out[name] = text === '' ? null : typed(def, text, name)
    } else if (text !== '') out[name] = typed(def, text, name)
  }
  return out
}

function typed(def: FieldDef | undefined, text: string, field?: string): unknown {
  switch (def?.bsonType) {
    case 'int':
    case 'double': {
      const n = Number(text)
      return text.trim() !== '' && Number.isFinite(n) ? n : text
    }
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : text
    case 'object':
    case 'array':
      if (field === undefined) return text
      try {
        return JSON.parse(text)
      } catch {
        throw new ToolError('VALIDATION_ERROR', `${field} is not valid JSON`, [{ field, rule: 'json', message: `not valid JSON (expected ${def.bsonType === 'array' ? 'an array' : 'an object'})` }])
      }
    default:
      return text
  }
}

function formValue(def: FieldDef, value: unknown): string {
  if (value === undefined || value === null) return ''
  if (def.bsonType === 'object' || def.bsonType === 'array') return JSON.stringify(value)
  return String(value)
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function pick(source: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined && source[k] !== '').map((k) => [k, source[k] as string]))
}
