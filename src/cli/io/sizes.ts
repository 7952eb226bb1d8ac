import { CliError } from '../errors.js'

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/**
 * A byte count as flags and environment variables give it: `16777216`, `16M`, `16MB`, `16MiB`, `512k`, `1.5G`.
 * Units are binary (1M = 1 MiB); a whole number of bytes comes back.
 */
export function parseSize(flag: string, text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text)
  if (!match) throw new CliError(`--${flag} "${text}" is not a size`, `give bytes or a number with K, M or G (binary units), e.g. --${flag} 16M`, 2, 'cli/usage')
  return Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!)
}

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
