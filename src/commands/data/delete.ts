import { Args, Flags } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { CliError } from '../../cli/errors.js'
import { parseJsonFlag } from '../../cli/io/list-query.js'
import { progressReporter } from '../../cli/io/progress.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { bulkDelete, countMatching, type BulkDeleteSummary } from '../../cli/io/transfer/bulk-delete.js'
import type { Query } from '../../client/rest.js'
import type { DataApi } from '../../client/runtime.js'
import { environmentNote } from '../../cli/target.js'

export interface DataDeleteOneResult {
  table: string
  id: string
  deleted: true
}

export type DataDeleteResult = DataDeleteOneResult | BulkDeleteSummary

export default class DataDelete extends RuntimeCommand {
  static override summary = 'Delete one record, the records matching a filter, or all of them'
  static override description = [
    'With an id, deletes that record for good (DELETE /v1/data/:table/:id).',
    'With --filter (the same JSON as data list --filter) or --all, deletes every record that matches: the matching ids are listed first, then deleted one DELETE each with --concurrency in flight, so it works against the cloud as against bkend dev; a progress bar shows on a terminal. Records deleted meanwhile by someone else are counted as already gone. To empty a whole local environment (users and files too), bkend dev reset is faster.',
    'Asks first on a terminal, with the number of records; without one, --yes is required.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> data delete posts 65a4f0c2e4b0a1b2c3d4e5f6',
    '<%= config.bin %> data delete posts --filter \'{"status":"draft"}\'',
    '<%= config.bin %> data delete posts --all --yes --json',
  ]

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
    id: Args.string({ description: 'record id (or use --filter / --all)' }),
  }

  static override flags = {
    filter: Flags.string({ description: 'delete the records matching this JSON filter, e.g. \'{"status":"draft"}\'', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'delete every record of the table', exclusive: ['filter'] }),
    concurrency: Flags.integer({ description: 'deletes in flight at most (with --filter or --all)', min: 1, max: 128, default: 16 }),
    yes: yesFlag,
  }

  async run(): Promise<DataDeleteResult> {
    const { args, flags } = await this.parse(DataDelete)
    const bulk = flags.filter !== undefined || flags.all
    if (args.id !== undefined && bulk) throw new CliError('give a record id or --filter/--all, not both', `bkend data delete ${args.table} ID, or bkend data delete ${args.table} --filter JSON`, 2, 'cli/usage')
    if (args.id === undefined && !bulk) throw new CliError('say what to delete: a record id, --filter JSON or --all', `e.g. bkend data delete ${args.table} --filter '{"status":"draft"}'`, 2, 'cli/usage')
    const filter = parseJsonFlag('filter', flags.filter, 'object-or-array')
    if (args.id !== undefined) {
      const runtime = await this.runtime(flags)
      await confirm(`Delete record ${args.id} from ${args.table} (${this.target!.environment})?`, flags.yes)
      await runtime.data.delete(args.table, args.id)
      if (!this.jsonEnabled()) this.log(`Deleted ${args.id} from ${args.table}${environmentNote(this.target)}.`)
      return { table: args.table, id: args.id, deleted: true }
    }
    const runtime = await this.runtime(flags, { connections: flags.concurrency })
    const query: Query = filter === undefined ? {} : { andFilters: JSON.stringify(filter) }
    const count = await countMatching(runtime.data, args.table, query)
    if (count > 0) await confirm(`Delete ${count.toLocaleString('en-US')} record${count === 1 ? '' : 's'} from ${args.table} (${this.target!.environment})?`, flags.yes)
    const summary = count === 0 ? { table: args.table, matched: 0, deleted: 0, alreadyGone: 0 } : await this.deleteWithProgress(runtime.data, args.table, query, flags.concurrency)
    if (!this.jsonEnabled()) {
      const gone = summary.alreadyGone ? ` (${summary.alreadyGone} were already gone)` : ''
      this.log(`Deleted ${summary.deleted.toLocaleString('en-US')} record${summary.deleted === 1 ? '' : 's'} from ${args.table}${gone}${environmentNote(this.target)}.`)
    }
    return summary
  }

  private async deleteWithProgress(data: DataApi, table: string, query: Query, concurrency: number): Promise<BulkDeleteSummary> {
    const progress = await progressReporter(`Deleting from ${table}`, !this.jsonEnabled())
    const started = performance.now()
    let stopped = true
    try {
      const summary = await bulkDelete({ data, table, query, concurrency }, (p) => progress?.update({ rows: p.deleted, fraction: p.total ? p.deleted / p.total : undefined, elapsedMs: performance.now() - started }))
      stopped = false
      return summary
    } finally {
      progress?.done({ stopped })
    }
  }
}
