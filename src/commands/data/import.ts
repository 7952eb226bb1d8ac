import { Args, Flags } from '@oclif/core'
import { INTERRUPTED, interruptSignal } from '../../cli/io/file-transfer.js'
import { progressReporter } from '../../cli/io/progress.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { FORMATS, type Format } from '../../cli/io/transfer/files.js'
import { importReport, resumeCommand } from '../../cli/io/transfer/import-report.js'
import { ImportJob, type ImportSummary } from '../../cli/io/transfer/import-service.js'
import { offersBulkInsert } from '../../cli/target.js'

export type DataImportResult = ImportSummary


export default class DataImport extends RuntimeCommand {
  static override summary = 'Import records from an NDJSON, JSON or CSV file'
  static override description = `Streams a file (or standard input with -) into a table. On the local emulator rows travel through its bulk insert, 500 to a request and 1000 in flight, each created and answered as its own POST would be; elsewhere (the cloud, a URL, --cloud-parity) each row is one POST over a pool of keep-alive connections, with --concurrency requests in flight. The file is never loaded whole: NDJSON is read line by line, a JSON array element by element, CSV record by record.

Format: --format, else the extension (.ndjson/.jsonl, .json, .csv), else the first character of the input ([ or {). CSV: the first line names the fields; empty cells are left out; declared fields are converted to the table's types (numbers, booleans, JSON objects and arrays) and other fields stay strings unless --infer-types.

Rows the server refuses (validation, duplicates, too large) and unreadable rows are rejected and counted; the others are written. The summary lists the first reasons and the --json result all of them; --rejects <file> writes every rejected row with its record as NDJSON (the --json result then lists the first 1000). The exit code is 1 when any row was rejected. A rate-limited row waits for the server's Retry-After and is retried. A bad key, a missing table or an unreachable server stops the import at once.

Ctrl+C (or SIGTERM) stops reading, lets the requests in flight finish, prints the summary so far with the command that goes on (--resume-from <line>: every row before that line was written or rejected, and none after it was sent), and exits 130; --json then prints the summary with "interrupted": true and "resumeFrom". A second Ctrl+C stops at once and lists the rows whose requests were cut off.`

  static override examples = [
    '<%= config.bin %> data import posts posts.ndjson',
    '<%= config.bin %> data import posts export.csv --infer-types --rejects rejected.ndjson',
    'cat posts.json | <%= config.bin %> data import posts - --format json --json',
    '<%= config.bin %> data import posts big.ndjson --concurrency 32',
    '<%= config.bin %> data import posts big.ndjson --resume-from 23439',
  ]

  static override args = {
    table: Args.string({ description: 'table to insert into', required: true }),
    file: Args.string({ description: 'file to read, or - for standard input', required: true }),
  }

  static override flags = {
    format: Flags.string({ description: 'input format (default: from the extension or the content)', options: [...FORMATS] }),
    concurrency: Flags.integer({ description: 'requests in flight at most, when each row is one POST (not on the local emulator)', min: 1, max: 128, default: 16 }),
    'infer-types': Flags.boolean({ description: 'CSV: turn undeclared numbers, true/false, null and JSON into values instead of strings' }),
    rejects: Flags.string({ description: 'write every rejected row with its reason to this NDJSON file (appended to with --resume-from)' }),
    'resume-from': Flags.integer({ description: 'skip the rows before this line (CSV: record line, JSON: element), as an interrupted import prints', min: 1 }),
  }

  async run(): Promise<DataImportResult> {
    const { args, flags } = await this.parse(DataImport)
    const runtime = await this.runtime(flags, { connections: flags.concurrency })
    const progress = await progressReporter(`Importing into ${args.table}`, !this.jsonEnabled())
    const interrupt = interruptSignal(() => void this.stopNow(job))
    const job = new ImportJob({
      data: runtime.data,
      table: args.table,
      environment: this.target!.environment,
      input: args.file,
      format: flags.format as Format | undefined,
      concurrency: flags.concurrency,
      bulk: offersBulkInsert(this.target!),
      inferTypes: flags['infer-types'],
      rejectsFile: flags.rejects,
      resumeFrom: flags['resume-from'],
      signal: interrupt.signal,
    })
    interrupt.signal.addEventListener('abort', () => {
      progress?.done({ stopped: true })
      if (!this.jsonEnabled()) this.logToStderr('Stopping: waiting for the requests in flight (Ctrl+C again to stop at once)…')
    })
    let summary: ImportSummary
    try {
      summary = await job.run((p) => progress?.update({ rows: p.written, rejected: p.rejected, fraction: p.size ? p.bytesRead / p.size : undefined, elapsedMs: p.elapsedMs }))
    } finally {
      interrupt.dispose()
      progress?.done()
    }
    if (!this.jsonEnabled()) this.print(summary)
    if (summary.interrupted) process.exitCode = INTERRUPTED
    else if (summary.rows.rejected > 0) process.exitCode = 1
    return summary
  }

  /** A second Ctrl+C: the summary as it stands, then the process ends without waiting for the requests in flight. */
  private async stopNow(job: ImportJob): Promise<never> {
    const summary = await job.stopNow()
    if (this.jsonEnabled()) this.logJson(summary)
    else this.print(summary)
    process.exit(INTERRUPTED)
  }

  private print(summary: ImportSummary): void {
    const report = importReport(summary, resumeCommand([this.config.bin, ...(this.id ?? 'data:import').split(':')], this.argv, summary.resumeFrom ?? 1))
    for (const line of report.out) this.log(line)
    for (const line of report.err) this.logToStderr(line)
  }
}
