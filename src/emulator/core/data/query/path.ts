/** Reading values by dot path with MongoDB semantics: arrays met along the path are traversed element-wise. */

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date)

/** Every value the path reaches in the document; empty when the path is missing everywhere. */
export function valuesAt(doc: unknown, segments: readonly string[], from = 0): unknown[] {
  if (from === segments.length) return [doc]
  const segment = segments[from] as string
  if (Array.isArray(doc)) {
    const out: unknown[] = []
    if (/^\d+$/.test(segment) && Number(segment) < doc.length) out.push(...valuesAt(doc[Number(segment)], segments, from + 1))
    for (const element of doc) if (isPlainObject(element)) out.push(...valuesAt(element, segments, from))
    return out
  }
  if (isPlainObject(doc) && Object.hasOwn(doc, segment)) return valuesAt(doc[segment], segments, from + 1)
  return []
}

/** The values a condition is tested against: each reached value, plus the elements of reached arrays. */
export function candidatesAt(doc: unknown, segments: readonly string[]): { candidates: unknown[]; found: boolean } {
  const reached = valuesAt(doc, segments)
  const candidates: unknown[] = []
  for (const value of reached) {
    candidates.push(value)
    if (Array.isArray(value)) candidates.push(...value)
  }
  return { candidates, found: reached.length > 0 }
}

export const splitPath = (path: string): string[] => path.split('.')
