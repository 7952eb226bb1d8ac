import { Args, Flags } from '@oclif/core'
import { confirm } from '../../../cli/confirm.js'
import { CliError } from '../../../cli/errors.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { missingGroups, parseGrants, readPermissionsFile } from '../../../cli/table-input.js'
import { wideningOf } from '../../../cli/permission-widening.js'
import type { TablePermissions } from '../../../contract/tables.js'

export type TablesPermissionsSetResult = TablePermissions & { table: string; missingGroups: string[] }

export default class TablesPermissionsSet extends ManagementCommand {
  static override summary = 'Replace a table’s permissions'
  static override description = 'This is a full replacement: a group you leave out (user, guest, self) loses all access, and the command warns about it. Give grants with --allow <group>=<operations>, or a JSON file with the boolean map or the whole { permissions, expressionPermissions, columnPermissions, rowFilters } object (as `tables permissions get --json` prints it). --defaults clears everything so the defaults apply again; when that allows anything the current permissions do not, it says what to whom and asks first (--yes on a terminal-less run).'
  static override examples = [
    '<%= config.bin %> tables permissions set posts --allow user=create,read,list --allow guest=read,list --allow self=read,update,delete,list',
    '<%= config.bin %> tables permissions set posts --file ./posts.permissions.json',
    '<%= config.bin %> tables permissions set posts --defaults',
  ]
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }
  static override flags = {
    allow: Flags.string({ description: 'a group and the operations it may do, e.g. user=create,read,list (repeatable)', multiple: true, multipleNonGreedy: true, exclusive: ['file', 'defaults'] }),
    file: Flags.string({ description: 'JSON file with the permissions', exclusive: ['defaults'] }),
    defaults: Flags.boolean({ description: 'clear the permissions so the defaults apply' }),
    yes: Flags.boolean({ char: 'y', description: 'do not ask before --defaults widens access' }),
  }

  async run(): Promise<TablesPermissionsSetResult> {
    const { args, flags } = await this.parse(TablesPermissionsSet)
    const wanted: TablePermissions = flags.defaults ? { permissions: null } : flags.file ? await readPermissionsFile(flags.file) : flags.allow ? { permissions: parseGrants(flags.allow) } : usage()
    const missing = missingGroups(wanted.permissions)
    if (missing.length) process.stderr.write(`Warning: permissions are replaced as a whole: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not given and will have no access\n`)
    const management = await this.management(flags)
    if (flags.defaults) {
      const current = await management.getTable(args.table)
      const widening = wideningOf(current, wanted)
      if (widening.length) {
        process.stderr.write(`Warning: the defaults widen access to ${current.tableName}:\n${widening.map((line) => `  - ${line}\n`).join('')}`)
        await confirm(`Widen access to ${current.tableName} (${current.environment})?`, flags.yes)
      }
    }
    const table = await management.setPermissions(args.table, wanted)
    if (!this.jsonEnabled()) this.log(`Permissions of ${table.tableName} replaced.`)
    return { table: table.tableName, permissions: table.permissions, expressionPermissions: table.expressionPermissions, columnPermissions: table.columnPermissions, rowFilters: table.rowFilters, missingGroups: missing }
  }
}

function usage(): never {
  throw new CliError('no permissions given', 'pass --allow <group>=<operations>, --file <json>, or --defaults', 2, 'cli/usage')
}
