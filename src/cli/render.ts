import type { AccessToken, Environment, Project } from '../contract/tenancy.js'
import type { Table } from '../contract/tables.js'
import type { User } from '../contract/users.js'
import type { MailboxMessage } from '../contract/mailbox.js'
import type { FileView } from '../contract/storage.js'
import type { Organization } from '../contract/tenancy.js'
import { printFields, printTable, type Column } from './output.js'

/**
 * Human renderings shared by the commands (only called when --json is off). Each table's columns are declared here
 * once; `wanted` is the command's `--columns`.
 */

type Rows = Array<Record<string, unknown>>

/** A column whose values people copy into the next command: never cut or hidden on a terminal. */
const identity = (key: string, header: string): Column => ({ key, header, identity: true })
const column = (key: string, header: string): Column => ({ key, header })

/** Organizations as a table. */
export function printOrgs(orgs: Organization[], wanted?: string): Promise<void> {
  return printTable([identity('id', 'Id'), identity('slug', 'Slug'), column('name', 'Name'), column('role', 'Role'), column('plan', 'Plan')], orgs as unknown as Rows, wanted)
}

/** Projects as a table. */
export function printProjects(projects: Project[], wanted?: string): Promise<void> {
  return printTable(
    [identity('id', 'Id'), identity('slug', 'Slug'), column('name', 'Name'), column('primaryCloud', 'Cloud'), column('primaryRegion', 'Region'), column('environmentCount', 'Envs')],
    projects as unknown as Rows,
    wanted,
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
export function printEnvs(envs: Environment[], wanted?: string): Promise<void> {
  return printTable(
    [identity('environment', 'Name'), column('environmentType', 'Type'), column('status', 'Status'), identity('id', 'Id'), column('createdAt', 'Created')],
    envs as unknown as Rows,
    wanted,
  )
}

/** One environment as key/value lines. */
export function printEnv(env: Environment): void {
  printFields([['Name', env.environment], ['Type', env.environmentType], ['Status', env.status], ['Id', env.id], ['Project', env.projectId], ['Cloud', `${env.cloud} ${env.region}`], ['Created', env.createdAt]])
}

/** Tables as a table, with their field and row counts. */
export function printTables(tables: Table[], wanted?: string): Promise<void> {
  const rows = tables.map((t) => ({ ...t, fields: Object.keys(t.schema?.properties ?? {}).length }))
  return printTable(
    [identity('tableName', 'Name'), column('fields', 'Fields'), column('documentCount', 'Rows'), column('schemaVersion', 'Schema v'), identity('id', 'Id')],
    rows as unknown as Rows,
    wanted,
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
  await printTable([identity('name', 'Field'), column('type', 'Type'), column('required', 'Required'), column('constraints', 'Constraints')], fields)
  process.stdout.write('\nIndexes\n')
  await printTable([identity('name', 'Index'), column('fields', 'Fields'), column('unique', 'Unique')], table.indexes.map((i) => ({ ...i, unique: i.unique ? 'yes' : '' })))
}

/** API keys as a table, masked: lists never carry key values (MCP-D11); a value is shown once, at creation. */
export function printKeys(keys: AccessToken[], wanted?: string): Promise<void> {
  const rows = keys.map((k) => ({ ...k, value: k.maskedKey, scopes: k.scopes?.join(' ') ?? 'all' }))
  return printTable(
    [column('name', 'Name'), column('type', 'Type'), identity('value', 'Key'), column('status', 'Status'), column('scopes', 'Scopes'), column('expiresAt', 'Expires'), identity('id', 'Id')],
    rows,
    wanted,
  )
}

/** End users as a table. */
export function printUsers(users: User[], wanted?: string): Promise<void> {
  return printTable([identity('id', 'Id'), identity('email', 'Email'), column('name', 'Name'), column('role', 'Role'), column('createdAt', 'Created')], users, wanted)
}

/** File records as a table. */
export function printFiles(files: FileView[], wanted?: string): Promise<void> {
  return printTable(
    [identity('id', 'Id'), column('originalName', 'Name'), column('mimeType', 'Type'), column('size', 'Size'), column('visibility', 'Visibility'), column('bucket', 'Bucket'), column('createdAt', 'Created')],
    files as unknown as Rows,
    wanted,
  )
}

/** Captured e-mails as a table. */
export function printMail(messages: MailboxMessage[], wanted?: string): Promise<void> {
  return printTable([identity('id', 'Id'), column('createdAt', 'Received'), column('type', 'Type'), identity('to', 'To'), column('subject', 'Subject')], messages as unknown as Rows, wanted)
}
