/** Did-you-mean for a command that does not exist: which command is close, and whether it may be offered to run. */

/** Edit distance between two strings: insertions, deletions, substitutions and swaps of neighbours (`dve` → `dev`). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The command id closest to `typed` (ids use `:` between words), or undefined when none is close enough to be
 * what was meant: at most one edit per three characters typed (and one for short words).
 */
export function closestCommand(typed: string, ids: string[]): string | undefined {
  const ranked = ids.map((id) => ({ id, d: distance(typed, id) })).sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
  const best = ranked[0]
  return best && best.d <= Math.max(1, Math.floor(typed.length / 3)) ? best.id : undefined
}

/** Commands that run until stopped (`dev`, `mcp`) or destroy something: suggested, never offered to run. */
export function mayOfferToRun(id: string): boolean {
  if (id === 'dev' || id === 'mcp' || id === 'logout') return false
  return !/(^|:)(delete|revoke|clear|remove|disable)$/.test(id)
}
