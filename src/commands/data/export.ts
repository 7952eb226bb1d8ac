import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { dataQuery, dataQueryFlags, selectList } from '../../cli/io/list-query.js'
import { progressReporter } from '../../cli/io/progress.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { FORMATS, formatFromPath, type Format } from '../../cli/io/transfer/files.js'
import { runExport, type ExportSummary } from '../../cli/io/transfer/export-service.js'

export type DataExportResult = ExportSummary

export default class DataExport extends RuntimeCommand {
  static override summary = "Export a table's records as NDJSON, JSON or CSV"
  static override description = `Pages through the table (100 records per request) and streams the records to a file or standard output, oldest first unless --sort says otherwise. The same query options as 'bkend data list' narrow what is exported.

Format: --format, else the file's extension (.ndjson/.jsonl, .json, .csv), else NDJSON. CSV has one column per field of the first page (or the --select fields); objects and arrays are written as JSON text, null as an empty cell. Fields that first appear later have no column and are reported. An existing file is refused before any request unless --force.`

  static override examples = [
    '<%= config.bin %> data export posts posts.ndjson',
    '<%= config.bin %> data export posts posts.csv --select title,views,published',
    '<%= config.bin %> data export posts --filter \'{"published":true}\' > published.ndjson',
    '<%= config.bin %> data export posts backup.json --force --json',
  ]

  static override args = {
    table: Args.string({ description: 'table to read', required: true }),
    file: Args.string({ description: 'file to write, or - for standard output', default: '-' }),
  }

  static override flags = {
    ...dataQueryFlags,
    format: Flags.string({ description: 'output format (default: from the extension, else ndjson)', options: [...FORMATS] }),
    force: Flags.boolean({ description: 'replace the file when it already exists' }),
  }

  async run(): Promise<DataExportResult> {
    const { args, flags } = await this.parse(DataExport)
    if (args.file === '-' && this.jsonEnabled()) {
      throw new CliError('--json and exporting to standard output would mix the summary with the data', 'export to a file (bkend data export <table> <file> --json), or drop --json', 2, 'cli/usage')
    }
    const format = (flags.format as Format | undefined) ?? (args.file === '-' ? undefined : formatFromPath(args.file)) ?? 'ndjson'
    const query = dataQuery(flags)
    const runtime = await this.runtime(flags)
    // a terminal on stdout means the data is going there; a progress line would garble it
    const progress = await progressReporter(`Exporting ${args.table}`, !this.jsonEnabled() && !(args.file === '-' && process.stdout.isTTY))
    const started = performance.now()
    let summary: ExportSummary
    try {
      summary = await runExport({ data: runtime.data, table: args.table, output: args.file, force: flags.force, format, query, columns: selectList(flags.select) }, (p) =>
        progress?.update({ rows: p.rows, fraction: p.total ? p.rows / p.total : undefined, elapsedMs: performance.now() - started }),
      )
    } finally {
      progress?.done()
    }
    if (!this.jsonEnabled()) {
      const where = args.file === '-' ? 'standard output' : args.file
      this.logToStderr(`Exported ${summary.rows.toLocaleString('en-US')} records of ${args.table} (env ${this.target!.environment}) to ${where} as ${format}.`)
      if (summary.droppedFields.length) this.logToStderr(`Fields without a CSV column (first seen after the first page): ${summary.droppedFields.join(', ')}; pass --select to choose the columns.`)
    }
    return summary
  }
}
