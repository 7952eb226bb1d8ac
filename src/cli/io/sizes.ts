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
