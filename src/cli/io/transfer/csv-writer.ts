/** One CSV cell: quoted when it holds a comma, quote or line break; objects and arrays as JSON; null/missing empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One CSV line (CRLF, as RFC 4180 asks) from values in header order. */
export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n'
}
