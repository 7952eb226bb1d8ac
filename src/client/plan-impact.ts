import type { Page } from '../contract/common.js'
import type { DataRecord, IndexDef, Table } from '../contract/tables.js'
import type { Impact, Plan, PlannedStep } from '../config/model.js'
import type { Management } from './management.js'

const PAGE = 100

/**
 * Measures, on the live environment, what the destructive and blocking steps of a plan would touch: records of a
 * dropped table, records holding a dropped or retyped field, records missing a field made required, groups of
 * records that share a value of a new unique index. Records are counted with `backend_data_list` (`$exists`
 * filters, the page's total); a target without that tool gets table record counts only.
 */
export async function measureImpact(management: Management, plan: Plan): Promise<Plan> {
  if (!plan.steps.some(needsImpact)) return plan
  const tables = new Map((await management.listTables()).map((t) => [t.tableName, t]))
  const canList = await management.mcp.has('backend_data_list')
  const steps: PlannedStep[] = []
  for (const step of plan.steps) {
    const impact = needsImpact(step) ? await impactOf(management, step, tables, canList) : undefined
    steps.push(impact ? { ...step, impact } : step)
  }
  return { ...plan, steps }
}

function needsImpact(step: PlannedStep): boolean {
  if (step.destructive) return true
  if (step.kind === 'required.add' || (step.kind === 'field.add' && step.required)) return true
  return (step.kind === 'index.add' && step.index.unique) || (step.kind === 'index.change' && step.to.unique)
}

async function impactOf(management: Management, step: PlannedStep, tables: Map<string, Table>, canList: boolean): Promise<Impact | undefined> {
  if (step.kind === 'provider.delete') return { summary: `users can no longer sign in with ${step.provider}; its stored client secret is lost` }
  if (!('table' in step)) return undefined
  const table = tables.get(step.table)
  if (!table) return undefined
  if (step.kind === 'table.drop') return { records: table.documentCount, summary: `${plural(table.documentCount, 'record')} deleted` }
  if (!canList || table.documentCount === 0) return table.documentCount === 0 ? { records: 0, summary: 'the table holds no records' } : undefined
  const count = (filter: Record<string, unknown>) => countWhere(management, table.id, filter)
  switch (step.kind) {
    case 'field.drop': {
      const records = await count({ [step.field]: { $exists: true } })
      return { records, summary: `${plural(records, 'record')} ${verb(records, 'hold')} ${step.field}; the values are deleted` }
    }
    case 'field.change': {
      const records = await count({ [step.field]: { $exists: true } })
      return { records, summary: `${plural(records, 'record')} ${verb(records, 'hold')} ${step.field} as ${step.from.bsonType}` }
    }
    case 'field.add':
    case 'required.add': {
      const records = await count({ [step.field]: { $exists: false } })
      return { records, summary: `${plural(records, 'record')} ${verb(records, 'lack')} ${step.field}` }
    }
    case 'index.add':
    case 'index.change': {
      const index = step.kind === 'index.add' ? step.index : step.to
      const duplicateGroups = await duplicateGroupsOf(management, table.id, index)
      return { duplicateGroups, summary: duplicateGroups === 0 ? 'no duplicates' : `${plural(duplicateGroups, 'group')} of records ${verb(duplicateGroups, 'share')} a value of ${Object.keys(index.fields).join(', ')}: the index cannot be created` }
    }
    default:
      return undefined
  }
}

async function countWhere(management: Management, tableId: string, filter: Record<string, unknown>): Promise<number> {
  const page = await management.mcp.call<Page<DataRecord>>('backend_data_list', { tableId, andFilters: filter, limit: 1, select: 'id' })
  return page.pagination.total
}

/** Groups of two or more records with the same values in every field of the index (a sparse index skips records lacking them). */
async function duplicateGroupsOf(management: Management, tableId: string, index: IndexDef): Promise<number> {
  const fields = Object.keys(index.fields)
  const seen = new Map<string, number>()
  for (let page = 1; ; page += 1) {
    const batch = await management.mcp.call<Page<DataRecord>>('backend_data_list', { tableId, select: fields.join(','), page, limit: PAGE, sortBy: 'id', sortDirection: 'asc' })
    for (const record of batch.items) {
      const values = fields.map((f) => valueAt(record, f))
      if (index.sparse && values.some((v) => v === undefined)) continue
      const key = JSON.stringify(values.map((v) => v ?? null))
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }
    if (!batch.pagination.hasNext) break
  }
  return [...seen.values()].filter((n) => n > 1).length
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record
  for (const segment of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined
  return value
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** `1 record holds`, `2 records hold`. */
function verb(n: number, base: string): string {
  return n === 1 ? `${base}s` : base
}
