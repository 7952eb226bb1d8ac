/**
 * MongoDB's cross-type order (rest-data.md §6.3): missing/null < numbers < strings < objects < arrays < booleans
 * < dates. Dates are `Date` instances here: stored ISO strings become dates where the schema says so.
 */
export function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0
  if (typeof value === 'number') return 1
  if (typeof value === 'string') return 2
  if (value instanceof Date) return 6
  if (Array.isArray(value)) return 4
  if (typeof value === 'boolean') return 5
  return 3
}

/** Strings compare by code point (UTF-16 comparison differs above the BMP). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number
    const y = b.codePointAt(i) as number
    if (x !== y) return x < y ? -1 : 1
    if (x > 0xffff) i++
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  switch (ra) {
    case 0:
      return 0
    case 1:
      return (a as number) === (b as number) ? 0 : (a as number) < (b as number) ? -1 : 1
    case 2:
      return compareStrings(a as string, b as string)
    case 5:
      return Number(a) - Number(b)
    case 6:
      return Math.sign((a as Date).getTime() - (b as Date).getTime())
    case 4: {
      const x = a as unknown[]
      const y = b as unknown[]
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i])
        if (c !== 0) return c
      }
      return Math.sign(x.length - y.length)
    }
    default: {
      const x = Object.entries(a as object)
      const y = Object.entries(b as object)
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const [kx, vx] = x[i] as [string, unknown]
        const [ky, vy] = y[i] as [string, unknown]
        const c = compareStrings(kx, ky) || compareValues(vx, vy)
        if (c !== 0) return c
      }
      return Math.sign(x.length - y.length)
    }
  }
}

/** Deep equality with the same type rules (so `1` never equals `"1"`); object key order is ignored. */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true
  const ra = typeRank(a)
  if (ra !== typeRank(b)) return false
  if (ra === 0) return true
  if (ra === 6) return (a as Date).getTime() === (b as Date).getTime()
  if (ra === 4) {
    const x = a as unknown[]
    const y = b as unknown[]
    return x.length === y.length && x.every((v, i) => equalValues(v, y[i]))
  }
  if (ra === 3) {
    const x = a as Record<string, unknown>
    const y = b as Record<string, unknown>
    const keys = Object.keys(x)
    return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && equalValues(x[k], y[k]))
  }
  return false
}
