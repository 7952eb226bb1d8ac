/** Edit distance between two strings: insertions, deletions, substitutions and swaps of neighbours (`dve` → `dev`). */
export function editDistance(a: string, b: string): number {
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

/** The candidate closest to `typed`, when it is close enough to be what was meant (one edit per three characters). */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates.map((c) => ({ c, d: editDistance(typed.toLowerCase(), c.toLowerCase()) })).sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
  const best = ranked[0]
  return best && best.d <= Math.max(1, Math.floor(typed.length / 3)) ? best.c : undefined
}
