import { Errors } from '@oclif/core'
import { CliError } from './errors.js'

/** The parts of oclif's parse errors (`RequiredArgsError`, `UnexpectedArgsError`) this module reads. */
interface ParseErrorDetail {
  args?: unknown[]
  parse?: {
    input?: { args?: Record<string, { required?: boolean }>; flags?: Record<string, { multiple?: boolean; delimiter?: string }> }
    output?: { raw?: { type: string; flag?: string }[] }
  }
}

/**
 * oclif's "Missing 1 required arg" and "Unexpected argument" errors, said the way bkend parses: arguments may come
 * before or after the flags, and a repeatable flag takes one value each time it is given. Other errors pass through.
 */
export function explainArgOrder(error: unknown, command: string): unknown {
  if (!(error instanceof Errors.CLIError)) return error
  const detail = error as Errors.CLIError & ParseErrorDetail
  const args = detail.parse?.input?.args ?? {}
  const usage = `usage: ${[command, ...Object.entries(args).map(([name, arg]) => (arg.required ? `<${name}>` : `[<${name}>]`)), '[flags]'].join(' ')}`
  if (/^Missing \d+ required args?/.test(error.message)) {
    const names = (detail.args ?? []).map((arg) => `<${(arg as { name: string }).name}>`)
    return new CliError(`missing the ${list(names)} argument${names.length === 1 ? '' : 's'}`, `${usage}; arguments may come before or after the flags`, 2, 'cli/usage')
  }
  if (/^Unexpected arguments?:/.test(error.message)) {
    const extras = (detail.args ?? []).map((arg) => `"${String(arg)}"`)
    const flags = detail.parse?.input?.flags ?? {}
    const used = [...new Set((detail.parse?.output?.raw ?? []).filter((token) => token.type === 'flag' && token.flag && flags[token.flag]?.multiple).map((token) => token.flag!))]
    const repeat = used.map((name) => `--${name} takes one value each time: repeat it (--${name} a --${name} b)${flags[name]!.delimiter ? ` or separate the values with commas (--${name} a,b)` : ''}`)
    return new CliError(`unexpected argument${extras.length === 1 ? '' : 's'} ${list(extras)}`, [...repeat, `${usage}; quote a value that contains spaces`].join('; '), 2, 'cli/usage')
  }
  return error
}

function list(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}
