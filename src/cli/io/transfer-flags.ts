import { Flags } from '@oclif/core'
import { CliError } from '../errors.js'
import { parseSize } from './sizes.js'

const MIN_PART = 5 * 1024 ** 2
const MAX_PART = 5 * 1024 ** 3

/** How `bkend files upload` splits and parallelises a transfer; each has a BKEND_FILES_* variable. */
export const transferFlags = {
  'multipart-threshold': Flags.string({ description: 'files larger than this go multipart (bytes, or K/M/G)', default: '64M', env: 'BKEND_FILES_MULTIPART_THRESHOLD', helpGroup: 'TRANSFER' }),
  'part-size': Flags.string({ description: 'bytes per multipart part, 5M–5G (raised when a file would need over 10,000 parts)', default: '16M', env: 'BKEND_FILES_PART_SIZE', helpGroup: 'TRANSFER' }),
  concurrency: Flags.integer({ description: 'parts uploaded at once', min: 1, max: 32, default: 4, env: 'BKEND_FILES_CONCURRENCY', helpGroup: 'TRANSFER' }),
}

/** The transfer flags as numbers, checked. */
export function transferSettings(flags: { 'multipart-threshold': string; 'part-size': string; concurrency: number }): { multipartThreshold: number; partSize: number; concurrency: number } {
  const partSize = parseSize('part-size', flags['part-size'])
  // note: the emulator takes any part size, but S3-backed storage refuses parts under 5 MiB (except the last one)
  if (partSize < MIN_PART || partSize > MAX_PART) throw new CliError(`--part-size ${flags['part-size']} is outside 5M–5G`, 'storage services refuse smaller parts (except the last) and larger ones; for example --part-size 16M', 2, 'cli/usage')
  return { multipartThreshold: parseSize('multipart-threshold', flags['multipart-threshold']), partSize, concurrency: flags.concurrency }
}
