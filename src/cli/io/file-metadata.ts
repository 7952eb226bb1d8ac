import { CliError } from '../errors.js'

/**
 * `--metadata key=value` pairs as a metadata patch. A value that is JSON (a number, true/false, null, an array, an
 * object, a quoted string) is taken as that, anything else as text; null removes the key (rest-storage.md §2.5).
 */
export function metadataFromPairs(pairs: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    const key = at > 0 ? pair.slice(0, at).trim() : ''
    if (!key) throw new CliError(`--metadata "${pair}" is not key=value`, 'e.g. --metadata alt="Profile photo" --metadata tags=\'["avatar"]\' (key=null removes a key)', 2, 'cli/usage')
    if (key in patch) throw new CliError(`--metadata ${key} is given twice`, 'give each key once', 2, 'cli/usage')
    patch[key] = valueOf(pair.slice(at + 1))
  }
  return patch
}

function valueOf(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
