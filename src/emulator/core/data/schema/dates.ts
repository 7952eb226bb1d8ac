/** The `date` type's wire forms (rest-data.md §3.1): ISO date or date-time strings, or epoch milliseconds. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/
const MAX_EPOCH_MS = 8.64e15

/** Epoch milliseconds of an accepted date value, or null when the value is not a date. */
export function dateMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= MAX_EPOCH_MS ? Math.trunc(value) : null
  if (typeof value !== 'string') return null
  const match = ISO.exec(value)
  if (!match) return null
  const [, y, mo, d, h, mi, s, zone] = match
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return null
  // note: a date-time without an offset is read as UTC, never as the server's local time, so results are stable.
  const text = h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : zone ? value.replace(' ', 'T') : `${value.replace(' ', 'T')}Z`
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) return null
  // Date.parse rolls 2025-02-31 over to March; a calendar date that does not exist is not a date.
  if (h === undefined && new Date(ms).getUTCDate() !== Number(d)) return null
  return ms
}

/** The canonical stored and returned form: ISO 8601, UTC, milliseconds, `Z`. */
export function isoDate(value: unknown): string | null {
  const ms = dateMs(value)
  return ms === null ? null : new Date(ms).toISOString()
}
