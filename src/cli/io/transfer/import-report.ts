import type { ImportSummary } from './import-service.js'

/** Rejection reasons printed for a person; the rest are in --json or --rejects. */
const SHOWN_REJECTS = 10
/** Row numbers listed in a line about rows cut off by a stop that did not wait. */
const SHOWN_ROWS = 10

const n = (value: number) => value.toLocaleString('en-US')

/** What a person reads after an import: the summary line (stdout) and everything else (stderr). */
export function importReport(s: ImportSummary, resumeCommand: string): { out: string[]; err: string[] } {
  const unit = s.format === 'json' ? 'element' : 'line'
  const skipped = s.skipped ? `; skipped ${n(s.skipped)} rows before ${unit} ${n(s.startRow)}` : ''
  const into = `into ${s.table} (env ${s.environment}) in ${(s.durationMs / 1000).toFixed(1)} s`
  const out: string[] = []
  const err: string[] = []
  if (!s.interrupted) out.push(`Imported ${n(s.rows.written)} of ${n(s.rows.read)} rows ${into} (${n(s.rowsPerSecond)} rows/s)${skipped}.`)
  else {
    const waited = s.unsettled.length === 0 && s.settledAfterResume.length === 0
    // an interrupted summary goes to stderr with the rest: stdout stays for what a finished import prints
    err.push(`${waited ? 'Interrupted' : 'Stopped at once'}: imported ${n(s.rows.written)} of ${n(s.rows.read)} rows read ${into}, ${n(s.rows.rejected)} rejected.`)
    if (waited) err.push(`Every row before ${unit} ${n(s.resumeFrom!)} was written or rejected, and no row from there on was sent.`)
    else {
      err.push(`Every row before ${unit} ${n(s.resumeFrom!)} was written or rejected.`)
      if (s.unsettled.length) err.push(`${n(s.unsettled.length)} requests were cut off (${unit}s ${rowList(s.unsettled)}): those rows may or may not have been written.`)
      if (s.settledAfterResume.length) err.push(`${unit[0]!.toUpperCase()}${unit.slice(1)}s ${rowList(s.settledAfterResume)} were already written or rejected; resuming sends them again.`)
    }
    err.push(`To go on: ${resumeCommand}`)
  }
  err.push(...rejectLines(s, (row) => `${unit} ${row}`))
  return { out, err }
}

/** The rejected rows as a person reads them (the first ten), each placed by `where(row)`; nothing when none was. */
export function rejectLines(s: Pick<ImportSummary, 'rows' | 'rejects' | 'rejectsFile'>, where: (row: number) => string): string[] {
  if (!s.rows.rejected) return []
  const lines = [`${n(s.rows.rejected)} rejected:`]
  for (const r of s.rejects.slice(0, SHOWN_REJECTS)) lines.push(`  ${where(r.row)}: ${r.message} [${r.code}]`)
  const more = s.rows.rejected - Math.min(SHOWN_REJECTS, s.rejects.length)
  if (more > 0) lines.push(`  … and ${n(more)} more${s.rejectsFile ? ` in ${s.rejectsFile}` : ' (see --json or --rejects <file>)'}`)
  return lines
}

function rowList(rows: number[]): string {
  return rows.slice(0, SHOWN_ROWS).map(n).join(', ') + (rows.length > SHOWN_ROWS ? ', …' : '')
}

/**
 * The command line that continues an import from `line`: the words the user typed, with any earlier --resume-from
 * replaced, quoted for a POSIX shell where needed.
 */
export function resumeCommand(words: string[], argv: string[], line: number): string {
  const kept: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--resume-from') i++
    else if (!argv[i]!.startsWith('--resume-from=')) kept.push(argv[i]!)
  }
  return [...words, ...kept, '--resume-from', String(line)].map(shellWord).join(' ')
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}
