import { Args, Flags } from '@oclif/core'
import { progressReporter } from '../../cli/io/progress.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { FORMATS, type Format } from '../../cli/io/transfer/files.js'
import { runImport, type ImportSummary } from '../../cli/io/transfer/import-service.js'

export type DataImportResult = ImportSummary

/** Rejection reasons printed for a person; the rest are in --json or --rejects. */
const SHOWN_REJECTS = 10

export default class DataImport extends RuntimeCommand {
  static override summary = 'Import records from an NDJSON, JSON or CSV file'
  static override description = `Streams a file (or standard input with -) into a table, one POST per record over a pool of keep-alive connections, with --concurrency requests in flight. The file is never loaded whole: NDJSON is read line by line, a JSON array element by element, CSV record by record.

Format: --format, else the extension (.ndjson/.jsonl, .json, .csv), else the first character of the input ([ or {). CSV: the first line names the fields; empty cells are left out; declared fields are converted to the table's types (numbers, booleans, JSON objects and arrays) and other fields stay strings unless --infer-types.

Rows the server refuses (validation, duplicates, too large) and unreadable rows are rejected and counted; the others are written. The summary lists the first reasons and the --json result all of them; --rejects <file> writes every rejected row with its record as NDJSON (the --json result then lists the first 1000). The exit code is 1 when any row was rejected. A rate-limited row waits for the server's Retry-After and is retried. A bad key, a missing table or an unreachable server stops the import at once.`

  static override examples = [
    '<%= config.bin %> data import posts posts.ndjson',
    '<%= config.bin %> data import posts export.csv --infer-types --rejects rejected.ndjson',
    'cat posts.json | <%= config.bin %> data import posts - --format json --json',
    '<%= config.bin %> data import posts big.ndjson --concurrency 32',
  ]

  static override args = {
    table: Args.string({ description: 'table to insert into', required: true }),
    file: Args.string({ description: 'file to read, or - for standard input', required: true }),
  }

  static override flags = {
    format: Flags.string({ description: 'input format (default: from the extension or the content)', options: [...FORMATS] }),
    concurrency: Flags.integer({ description: 'requests in flight at most', min: 1, max: 128, default: 16 }),
    'infer-types': Flags.boolean({ description: 'CSV: turn undeclared numbers, true/false, null and JSON into values instead of strings' }),
    rejects: Flags.string({ description: 'write every rejected row with its reason to this NDJSON file' }),
  }

  async run(): Promise<DataImportResult> {
    const { args, flags } = await this.parse(DataImport)
    const runtime = await this.runtime(flags, { connections: flags.concurrency })
    const progress = await progressReporter(`Importing into ${args.table}`, !this.jsonEnabled())
    let summary: ImportSummary
    try {
      summary = await runImport(
        { data: runtime.data, table: args.table, input: args.file, format: flags.format as Format | undefined, concurrency: flags.concurrency, inferTypes: flags['infer-types'], rejectsFile: flags.rejects },
        (p) => progress?.update({ rows: p.written, rejected: p.rejected, fraction: p.size ? p.bytesRead / p.size : undefined, elapsedMs: p.elapsedMs }),
      )
    } finally {
      progress?.done()
    }
    if (!this.jsonEnabled()) this.printSummary(summary)
    if (summary.rows.rejected > 0) process.exitCode = 1
    return summary
  }

  private printSummary(s: ImportSummary): void {
    const n = (value: number) => value.toLocaleString('en-US')
    this.log(`Imported ${n(s.rows.written)} of ${n(s.rows.read)} rows into ${s.table} in ${(s.durationMs / 1000).toFixed(1)} s (${n(s.rowsPerSecond)} rows/s).`)
    if (!s.rows.rejected) return
    this.logToStderr(`${n(s.rows.rejected)} rejected:`)
    for (const r of s.rejects.slice(0, SHOWN_REJECTS)) this.logToStderr(`  ${s.format === 'json' ? 'element' : 'line'} ${r.row}: ${r.message} [${r.code}]`)
    const more = s.rows.rejected - Math.min(SHOWN_REJECTS, s.rejects.length)
    if (more > 0) this.logToStderr(`  … and ${n(more)} more${s.rejectsFile ? ` in ${s.rejectsFile}` : ' (see --json or --rejects <file>)'}`)
  }
}
