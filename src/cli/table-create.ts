import type { Management } from '../client/management.js'
import type { Table } from '../contract/tables.js'
import { CliError } from './errors.js'
import type { TableSpec } from './table-input.js'

/**
 * Creates a table, then gives it the indexes and permissions the spec carries, so a table copied from
 * `tables get --json` ends up the same as the original. The tools have no single call for all three.
 */
export async function createTableFromSpec(management: Management, tableName: string, spec: TableSpec): Promise<Table> {
  let table = await management.createTable({
    tableName,
    schema: spec.schema,
    ...(spec.displayName !== undefined ? { displayName: spec.displayName } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
  })
  // note: unique fields in the schema already made their `<field>_unique` index; saving it again replaces it with itself
  if (spec.indexes.length) table = await completing(table, 'indexes', `bkend tables indexes add ${tableName}`, () => management.manageIndexes(table.id, { indexesToAddOrUpdate: spec.indexes }))
  if (spec.permissions) {
    const permissions = spec.permissions
    table = await completing(table, 'permissions', `bkend tables permissions set ${tableName}`, () => management.setPermissions(table.id, permissions))
  }
  return table
}

/** A step after the create: when it fails the table exists, so the error says so and how to finish by hand. */
async function completing(table: Table, what: string, command: string, step: () => Promise<Table>): Promise<Table> {
  try {
    return await step()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new CliError(`table ${table.tableName} was created in ${table.environment}, but its ${what} were not applied: ${reason}`, `fix the ${what} in the --schema input and apply them with '${command}', or delete the table and run the create again`, 1, 'cli/partial-create')
  }
}
