import { plural } from '../../ui/format.js'
import { rejectLines } from '../io/transfer/import-report.js'
import type { SeedPart } from './rows.js'
import type { SeedResult } from './seed-service.js'

const n = (value: number) => value.toLocaleString('en-US')

/** What a person reads after a seed: a line per part and the total (stdout), rejections and notes (stderr). */
export function seedReport(result: SeedResult): { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  if (result.reset) {
    const { records, users, files } = result.reset.removed
    out.push(`Reset first${result.reset.via === 'api' ? ' (through the API)' : ''}: removed ${plural(records, 'record')}, ${plural(users, 'user')}, ${plural(files, 'file')}.`)
  }
  for (const part of result.parts) {
    const counts = part.status === 'skipped' ? 'skipped' : `${n(part.created)} created, ${n(part.unchanged)} unchanged${part.rejected ? `, ${n(part.rejected)} rejected` : ''}${part.status === 'failed' ? ' (failed: nothing kept)' : part.status === 'interrupted' ? ' (interrupted)' : ''}`
    out.push(`${part.name} (${part.source}): ${counts}`)
    if (part.note) err.push(`${part.name}: ${part.note}`)
    err.push(...rejectLines({ rows: { read: 0, written: 0, rejected: part.rejected }, rejects: part.rejects, rejectsFile: null }, (row) => where(part, row)))
  }
  if (!result.parts.length) out.push(`Nothing to seed in ${result.dir}.`)
  else out.push(`Seeded environment ${result.environment} in ${(result.durationMs / 1000).toFixed(1)} s: ${n(result.created)} created, ${n(result.unchanged)} unchanged, ${n(result.rejected)} rejected${result.stopped ? '; stopped early, later parts not seeded' : ''}.`)
  return { out, err }
}

/** `data/posts.ndjson:12` for lines, `users.json element 3` for JSON arrays and the files manifest. */
function where(part: SeedPart, row: number): string {
  return part.source.endsWith('.json') ? `${part.source} element ${row}` : `${part.source}:${row}`
}
