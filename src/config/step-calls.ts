/**
 * How a plan step becomes MCP tool calls. Shared by the CLI's applier (over an MCP session) and the emulator's
 * atomic push (through its dispatcher), so both apply a step exactly the same way. The caller is injected: this
 * module does no I/O of its own.
 */
import type { PlanStep } from './model.js'

/** Calls one tool and returns its result; throws when the tool answers with an error. */
export type CallTool = (tool: string, args: Record<string, unknown>) => Promise<unknown>

/** Where steps apply: the project (settings are project-level) and the environment (tables are per environment). */
export interface StepTarget {
  projectId: string
  environment: string
  /** Live tables by name; a created table is added here, so later steps find it. */
  tableIds: Map<string, string>
}

/** A step that no longer fits the environment: it changed since the plan was made from it. */
export class StalePlanError extends Error {
  readonly code = 'config/stale-plan'
  constructor(message: string) {
    super(message)
    this.name = 'StalePlanError'
  }
}

function tableId(target: StepTarget, table: string): string {
  const id = target.tableIds.get(table)
  // The plan was made from live state: a missing table means someone else dropped it since.
  if (!id) throw new StalePlanError(`table "${table}" is no longer in environment "${target.environment}"; run the push again to plan from the environment as it is now`)
  return id
}

/** Applies one step; a step is one tool call except a table.create, which also sets its indexes and permissions. */
export async function applyStep(step: PlanStep, target: StepTarget, call: CallTool): Promise<void> {
  const { projectId } = target
  switch (step.kind) {
    case 'table.create': {
      const { model } = step
      const body: Record<string, unknown> = { projectId, environment: target.environment, tableName: step.table, schema: model.schema }
      if (model.displayName !== null) body.displayName = model.displayName
      if (model.description !== null) body.description = model.description
      const created = (await call('backend_table_create', { body })) as { id: string; indexes?: Array<{ name: string }> }
      target.tableIds.set(step.table, created.id)
      if (model.indexes.length > 0) await call('backend_index_manage', { tableId: created.id, body: { indexesToAddOrUpdate: model.indexes } })
      const permissions = Object.fromEntries(Object.entries({ permissions: model.permissions, expressionPermissions: model.expressionPermissions, columnPermissions: model.columnPermissions, rowFilters: model.rowFilters }).filter(([, v]) => v !== null))
      if (Object.keys(permissions).length > 0) await call('backend_table_update', { tableId: created.id, body: permissions })
      return
    }
    case 'table.drop':
      await call('backend_table_delete', { tableId: tableId(target, step.table) })
      target.tableIds.delete(step.table)
      return
    case 'table.update': {
      const body: Record<string, unknown> = {}
      if (step.displayName !== undefined) body.displayName = step.displayName
      if (step.description !== undefined) body.description = step.description
      await call('backend_table_update', { tableId: tableId(target, step.table), body })
      return
    }
    case 'field.add':
      await fields(target, call, step.table, { fieldsToAddOrUpdate: { [step.field]: step.definition }, ...(step.required ? { requiredFieldsToAdd: [step.field] } : {}) })
      return
    case 'field.change':
      await fields(target, call, step.table, { fieldsToAddOrUpdate: { [step.field]: step.to } })
      return
    case 'field.drop':
      await fields(target, call, step.table, { fieldsToRemove: [step.field] })
      return
    case 'required.add':
      await fields(target, call, step.table, { requiredFieldsToAdd: [step.field] })
      return
    case 'required.remove':
      await fields(target, call, step.table, { requiredFieldsToRemove: [step.field] })
      return
    case 'index.add':
    case 'index.change':
      // backend_index_manage replaces an index of the same name: a change is one call.
      await call('backend_index_manage', { tableId: tableId(target, step.table), body: { indexesToAddOrUpdate: [step.kind === 'index.add' ? step.index : step.to] } })
      return
    case 'index.drop':
      await call('backend_index_manage', { tableId: tableId(target, step.table), body: { indexesToRemove: [step.name] } })
      return
    case 'permissions.set':
      await call('backend_table_update', { tableId: tableId(target, step.table), body: { ...step.to } })
      return
    case 'auth.update':
      await call('backend_auth_config_update', { projectId, body: { ...step.to } })
      return
    case 'provider.set': {
      const { clientSecret, clientId, redirectUri, scopes, enabled } = step.to
      await call('backend_auth_provider_upsert', { projectId, provider: step.provider, body: { clientId, redirectUri, scopes, enabled, ...(clientSecret !== undefined ? { clientSecret } : {}) } })
      return
    }
    case 'provider.delete':
      await call('backend_auth_provider_delete', { projectId, provider: step.provider })
      return
    case 'email.sender':
      await call('backend_email_settings_update', { projectId, body: { ...step.to } })
      return
    case 'email.template':
      // The planner never plans a reset (no tool does one), so `to` is a template here.
      if (step.to) await call('backend_email_template_update', { projectId, category: step.category, body: step.to })
      return
    case 'cors.set':
      await call('backend_project_update', { projectId, body: { settings: { allowedOrigins: step.to } } })
      return
  }
}

function fields(target: StepTarget, call: CallTool, table: string, body: Record<string, unknown>): Promise<unknown> {
  return call('backend_field_manage', { tableId: tableId(target, table), body })
}

/** One line for people: what a step does, in the words of the config files. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 'table.create':
      return `create table ${step.table} (${count(Object.keys(step.model.schema.properties).length, 'field')}, ${count(step.model.indexes.length, 'index', 'indexes')})`
    case 'table.drop':
      return `drop table ${step.table}`
    case 'table.update':
      return `update table ${step.table}: ${[step.displayName !== undefined ? 'displayName' : '', step.description !== undefined ? 'description' : ''].filter(Boolean).join(', ')}`
    case 'field.add':
      return `add field ${step.table}.${step.field} (${step.definition.bsonType}${step.required ? ', required' : ''})`
    case 'field.change':
      return `change field ${step.table}.${step.field}${step.from.bsonType !== step.to.bsonType ? ` (${step.from.bsonType} → ${step.to.bsonType})` : ' (constraints)'}`
    case 'field.drop':
      return `drop field ${step.table}.${step.field}`
    case 'required.add':
      return `make ${step.table}.${step.field} required`
    case 'required.remove':
      return `make ${step.table}.${step.field} optional`
    case 'index.add':
      return `add index ${step.table}.${step.index.name}${step.index.unique ? ' (unique)' : ''}`
    case 'index.change':
      return `replace index ${step.table}.${step.to.name}${step.to.unique ? ' (unique)' : ''}`
    case 'index.drop':
      return `drop index ${step.table}.${step.name}`
    case 'permissions.set': {
      const changed = (['permissions', 'expressionPermissions', 'columnPermissions', 'rowFilters'] as const).filter((k) => JSON.stringify(step.from[k]) !== JSON.stringify(step.to[k]))
      return `set permissions of ${step.table} (${changed.join(', ')})`
    }
    case 'auth.update':
      return 'update auth settings'
    case 'provider.set':
      return `${step.from ? 'update' : 'configure'} sign-in provider ${step.provider}`
    case 'provider.delete':
      return `delete sign-in provider ${step.provider}`
    case 'email.sender':
      return 'update e-mail sender'
    case 'email.template':
      return `set e-mail template ${step.category}`
    case 'cors.set':
      return `set CORS allowed origins (${step.to.length === 0 ? 'any origin' : step.to.join(', ')})`
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}
