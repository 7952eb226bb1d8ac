// note: plain functions with no React, so commands may import them without loading the terminal UI.

/** `1.5 MiB`, `300 B`: for messages and progress lines. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const [unit, size] = bytes < 1024 ** 2 ? ['KiB', 1024] : bytes < 1024 ** 3 ? ['MiB', 1024 ** 2] : ['GiB', 1024 ** 3]
  return `${(bytes / (size as number)).toFixed(1)} ${unit}`
}

/** `12.3 MiB/s` for `bytes` moved in `ms` milliseconds. */
export function formatRate(bytes: number, ms: number): string {
  return `${formatBytes(Math.round((bytes * 1000) / Math.max(ms, 1)))}/s`
}

/** `1 record`, `2 records`, `1,024 files`: a count with its noun, for one-line summaries. */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}
