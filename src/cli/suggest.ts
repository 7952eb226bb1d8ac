/** Did-you-mean for a command that does not exist: which command is close, and whether it may be offered to run. */
import { closest } from '../config/did-you-mean.js'

/**
 * The command id closest to `typed` (ids use `:` between words), or undefined when none is close enough to be
 * what was meant: at most one edit per three characters typed (and one for short words).
 */
export function closestCommand(typed: string, ids: string[]): string | undefined {
  return closest(typed, ids)
}

/** Commands that run until stopped (`dev`, `mcp`) or destroy something: suggested, never offered to run. */
export function mayOfferToRun(id: string): boolean {
  if (id === 'dev' || id === 'mcp' || id === 'logout') return false
  return !/(^|:)(delete|revoke|clear|remove|disable)$/.test(id)
}
