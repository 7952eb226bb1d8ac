import { Args, Flags } from '@oclif/core'
import { confirm } from '../../cli/confirm.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export interface DataDeleteResult {
  table: string
  id: string
  deleted: true
}

export default class DataDelete extends RuntimeCommand {
  static override summary = 'Delete one record'
  static override description = 'Deletes a record for good (DELETE /v1/data/:table/:id). Asks first on a terminal; without one, --yes is required.'
  static override examples = ['<%= config.bin %> data delete posts 65a4f0c2e4b0a1b2c3d4e5f6', '<%= config.bin %> data delete posts 65a4f0c2e4b0a1b2c3d4e5f6 --yes --json']

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
    id: Args.string({ description: 'record id', required: true }),
  }

  static override flags = {
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation' }),
  }

  async run(): Promise<DataDeleteResult> {
    const { args, flags } = await this.parse(DataDelete)
    const runtime = await this.runtime(flags)
    await confirm(`Delete record ${args.id} from ${args.table} (${this.target!.environment})?`, flags.yes)
    await runtime.data.delete(args.table, args.id)
    if (!this.jsonEnabled()) this.log(`Deleted ${args.id} from ${args.table}${environmentNote(this.target)}.`)
    return { table: args.table, id: args.id, deleted: true }
  }
}
