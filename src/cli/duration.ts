import { CliError } from './errors.js'

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }
const DURATION = /^([+-])?((?:\d+[smhdw])+)$/
const PART = /(\d+)([smhdw])/g

/** What a duration looks like, for hints. */
export const DURATION_HINT = 'write a number with a unit, optionally signed and combined: +1h, -30m, +2d, +90s, 1h30m (units s, m, h, d, w)'

/**
 * Parses a clock shift such as `+1h`, `-30m`, `2d`, `90s` or `1h30m` into seconds (negative for `-`). Bare numbers
 * are refused: `5` could mean seconds or minutes, and a clock moved by the wrong unit silently breaks a test.
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim().toLowerCase())
  if (!match) throw new CliError(`"${text}" is not a duration`, DURATION_HINT, 2, 'cli/invalid-duration')
  let seconds = 0
  for (const [, amount, unit] of match[2]!.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit!]!
  if (!Number.isSafeInteger(seconds)) throw new CliError(`"${text}" is too long a duration`, DURATION_HINT, 2, 'cli/invalid-duration')
  return match[1] === '-' ? -seconds : seconds
}

/** Seconds as a signed, compact duration (`+1d2h`, `-30m`, `0s`); whole seconds come out as `parseDuration` reads them. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s'
  const sign = seconds < 0 ? '-' : '+'
  let rest = Math.abs(seconds)
  let text = ''
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = UNIT_SECONDS[unit]!
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`
      rest %= size
    }
  }
  // the emulator keeps milliseconds, so an offset may hold a fraction of a second
  if (rest > 0) text += `${Number(rest.toFixed(3))}s`
  return sign + text
}
