import type { AccessToken, Environment, Project } from '../contract/tenancy.js'
import type { Table } from '../contract/tables.js'
import { printFields, printTable } from './output.js'

/** Human renderings shared by several management commands (only called when --json is off). */

type Rows = Array<Record<string, unknown>>

/** Projects as a table. */
export function printProjects(projects: Project[]): Promise<void> {
  return printTable(
    [{ key: 'id', header: 'Id' }, { key: 'slug', header: 'Slug' }, { key: 'name', header: 'Name' }, { key: 'primaryCloud', header: 'Cloud' }, { key: 'primaryRegion', header: 'Region' }, { key: 'environmentCount', header: 'Envs' }],
    projects as unknown as Rows,
  )
}

/** One project as key/value lines. */
export function printProject(project: Project & { environments?: Environment[] }): void {
  printFields([
    ['Id', project.id],
    ['Slug', project.slug],
    ['Name', project.name],
    ['Description', project.description],
    ['Cloud', `${project.primaryCloud} ${project.primaryRegion}`],
    ['Allowed origins', project.settings?.allowedOrigins?.join(', ')],
    ['Environments', project.environments?.map((e) => e.environment).join(', ') ?? project.environmentCount],
    ['Created', project.createdAt],
  ])
}

/** Environments as a table. */
export function printEnvs(envs: Environment[]): Promise<void> {
  return printTable(
    [{ key: 'environment', header: 'Name' }, { key: 'environmentType', header: 'Type' }, { key: 'status', header: 'Status' }, { key: 'id', header: 'Id' }, { key: 'createdAt', header: 'Created' }],
    envs as unknown as Rows,
  )
}

/** One environment as key/value lines. */
export function printEnv(env: Environment): void {
  printFields([['Name', env.environment], ['Type', env.environmentType], ['Status', env.status], ['Id', env.id], ['Project', env.projectId], ['Cloud', `${env.cloud} ${env.region}`], ['Created', env.createdAt]])
}

/** Tables as a table, with their field and row counts. */
export function printTables(tables: Table[]): Promise<void> {
  const rows = tables.map((t) => ({ ...t, fields: Object.keys(t.schema?.properties ?? {}).length }))
  return printTable(
    [{ key: 'tableName', header: 'Name' }, { key: 'fields', header: 'Fields' }, { key: 'documentCount', header: 'Rows' }, { key: 'schemaVersion', header: 'Schema v' }, { key: 'id', header: 'Id' }],
    rows as unknown as Rows,
  )
}

/** A table's summary, then its fields and indexes. */
export async function printTableDetail(table: Table): Promise<void> {
  printFields([['Name', table.tableName], ['Id', table.id], ['Environment', table.environment], ['Description', table.description], ['Rows', table.documentCount], ['Schema version', table.schemaVersion], ['Index version', table.indexVersion]])
  const required = new Set(table.schema?.required ?? [])
  const fields = Object.entries(table.schema?.properties ?? {}).map(([name, def]) => {
    const { bsonType, ...constraints } = def
    return { name, type: Array.isArray(bsonType) ? bsonType.join('|') : bsonType, required: required.has(name) ? 'yes' : '', constraints: Object.keys(constraints).length ? constraints : '' }
  })
  process.stdout.write('\nFields\n')
  await printTable([{ key: 'name', header: 'Field' }, { key: 'type', header: 'Type' }, { key: 'required', header: 'Required' }, { key: 'constraints', header: 'Constraints' }], fields)
  process.stdout.write('\nIndexes\n')
  await printTable([{ key: 'name', header: 'Index' }, { key: 'fields', header: 'Fields' }, { key: 'unique', header: 'Unique' }], table.indexes.map((i) => ({ ...i, unique: i.unique ? 'yes' : '' })))
}

/** API keys as a table: publishable values in full, secret ones masked. */
export function printKeys(keys: AccessToken[]): Promise<void> {
  const rows = keys.map((k) => ({ ...k, value: k.key ?? k.maskedKey, scopes: k.scopes?.join(' ') ?? 'all' }))
  return printTable(
    [{ key: 'name', header: 'Name' }, { key: 'type', header: 'Type' }, { key: 'value', header: 'Key' }, { key: 'status', header: 'Status' }, { key: 'scopes', header: 'Scopes' }, { key: 'expiresAt', header: 'Expires' }, { key: 'id', header: 'Id' }],
    rows,
  )
}
