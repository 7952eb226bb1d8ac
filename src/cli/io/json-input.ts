import { text } from 'node:stream/consumers'
import { CliError } from '../errors.js'
import { parseJsonFlag } from './list-query.js'

/** A record body from `--data`: a JSON object, or `-` to read one from standard input. */
export async function readRecordFlag(value: string): Promise<Record<string, unknown>> {
  const source = value === '-' ? await text(process.stdin) : value
  if (value === '-' && !source.trim()) throw new CliError('standard input was empty', 'pipe a JSON object, e.g. echo \'{"title":"Hello"}\' | bkend data insert posts --data -', 2, 'cli/usage')
  return parseJsonFlag('data', source, 'object') as Record<string, unknown>
}
