import type { Page } from '../../../../contract/common.js'
import type { Table } from '../../../../contract/tables.js'
import { plural } from '../../../../ui/format.js'
import { escapeHtml as e } from '../../pages/page.js'
import { ToolError } from '../../../mcp/errors.js'
import type { ConsoleContext, ConsolePage, FormState } from '../context.js'
import { done, envPath, errorAlert, fieldError, invalidAttrs, statusOf } from '../layout.js'

// Details of a schema error name the field inside the schema (`price.type`), not the form's own inputs.
const inSchema = (name: string) => !['tableName', 'displayName', 'description'].includes(name)
const SCHEMA_EXAMPLE = '{ "title": { "type": "string", "required": true }, "price": { "type": "int" } }'

/** The tables of an environment, and creating one. */
export const tablesPage: ConsolePage = {
  nav: { label: 'Tables', page: 'tables' },
  routes: [
    { method: 'GET', path: '/o/:org/p/:project/e/:env/tables', level: 'env', handle: (ctx) => render(ctx, {}) },
    {
      method: 'POST',
      path: '/o/:org/p/:project/e/:env/tables',
      level: 'env',
      handle: async (ctx) => {
        const { tableName = '', displayName = '', description = '', schema = '' } = ctx.form
        try {
          const body: Record<string, unknown> = { projectId: ctx.project!.id, environment: ctx.env!.environment, tableName: tableName.trim(), schema: parseJson('schema', schema.trim() || '{}') }
          if (displayName.trim()) body.displayName = displayName.trim()
          if (description.trim()) body.description = description.trim()
          const table = await ctx.tool<Table>('backend_table_create', { body })
          return done(`${envPath(ctx)}/tables/${encodeURIComponent(table.tableName)}`, `Table ${table.tableName} created`)
        } catch (error) {
          if (!(error instanceof ToolError) || error.code === 'INTERNAL_ERROR') throw error
          return render(ctx, { error, values: ctx.form }, statusOf(error))
        }
      },
    },
  ],
}

async function render(ctx: ConsoleContext, state: FormState, status = 200) {
  const list = await ctx.tool<Page<Table>>('backend_table_list', { projectId: ctx.project!.id, environment: ctx.env!.environment, limit: 100 })
  const rows = list.items.map((t) => {
    const href = `${envPath(ctx)}/tables/${encodeURIComponent(t.tableName)}`
    return `<tr data-table="${e(t.tableName)}"><td><a href="${e(href)}">${e(t.tableName)}</a></td><td>${e(t.displayName ?? '')}</td><td>${Object.keys(t.schema.properties).length}</td><td>${t.documentCount}</td><td><a href="${e(`${href}/records`)}">Records</a></td></tr>`
  })
  const table = rows.length === 0 ? '<p class="muted" id="no-tables">No tables in this environment yet.</p>' : `<div class="scroll"><table id="tables"><caption class="muted">${plural(list.pagination.total, 'table')}</caption><thead><tr><th scope="col">Name</th><th scope="col">Display name</th><th scope="col">Fields</th><th scope="col">Records</th><th scope="col"><span class="muted">Open</span></th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  return { status, title: 'Tables', page: 'tables', body: `${table}<h2 id="create">Create a table</h2>${createForm(ctx, state)}` }
}

function createForm(ctx: ConsoleContext, state: FormState): string {
  const v = state.values ?? {}
  const input = (name: string, label: string, extra = '') =>
    `<label for="t-${name}">${label}<input id="t-${name}" name="${name}" value="${e(v[name] ?? '')}"${extra}${invalidAttrs(state, name, `t-${name}`)}>${fieldError(state, name, `t-${name}`)}</label>`
  return `${errorAlert(state)}<form class="stack" method="post" action="${e(`${envPath(ctx)}/tables`)}" id="create-table">
${input('tableName', 'Table name', ' required maxlength="64" autocomplete="off"')}${input('displayName', 'Display name (optional)')}${input('description', 'Description (optional)')}
<label for="t-schema">Fields (JSON: name → definition)<textarea id="t-schema" name="schema" placeholder="${e(SCHEMA_EXAMPLE)}"${invalidAttrs(state, inSchema, 't-schema')}>${e(v.schema ?? '')}</textarea>${fieldError(state, inSchema, 't-schema')}</label>
<p class="muted">Types: string, int, double, bool, date, object, array, objectId; add <code>"required": true</code>, <code>"unique": true</code>, <code>"default"</code>. Leave empty for no fields yet.</p>
<div><button type="submit">Create table</button></div></form>`
}

/** A JSON form field, or a validation error naming it (shown at the field like the tool's own). */
export function parseJson(field: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new ToolError('VALIDATION_ERROR', `${field} is not valid JSON`, [{ field, rule: 'json', message: 'not valid JSON' }])
  }
}
