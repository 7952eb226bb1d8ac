import { Command, Errors, type Interfaces } from '@oclif/core'
import { ClientError, type FieldProblem } from '../client/errors.js'
import { ConfigError, type ConfigProblem } from '../config/problems.js'
import { explainArgOrder } from './arg-order.js'
import { CliError, describeClientError, type ExitCode } from './errors.js'
import { selectFields, type FieldSelection } from './fields.js'
import { hintFor, USAGE_CODES } from './hints.js'
import { expandBareWait } from './target.js'

type Output = Record<string, unknown>

/** An error as the CLI shows it: the same fields on a terminal and in --json. */
export interface ShownError {
  code: string
  message: string
  hint: string | null
  /** Field-level problems the server named, when it did. */
  details?: FieldProblem[]
  /** Every problem of the config files, for a config error. */
  problems?: ConfigProblem[]
}

/**
 * Every bkend command: the one place where errors become a message on stderr, a hint, and an exit code (1 failure,
 * 2 usage). With --json, the error is one JSON document on stderr and stdout stays empty. Commands and base
 * classes throw (ClientError, CliError, or oclif's own) and never catch to print.
 */
export abstract class BaseCommand extends Command {
  private fieldSelection: FieldSelection | undefined

  /** `--fields` (list and get commands) implies --json. */
  public override jsonEnabled(): boolean {
    return this.fieldSelection !== undefined || super.jsonEnabled()
  }

  public override async init(): Promise<void> {
    this.argv = expandBareWait(this.argv)
    await super.init()
    const run = this.run.bind(this)
    // note: the result is narrowed inside run, so an unknown --fields name takes the one error path
    this.run = async () => {
      const result: unknown = await run()
      return this.fieldSelection ? selectFields(result, this.fieldSelection) : result
    }
  }

  protected override async parse<F extends Output, B extends Output, A extends Output>(options?: Interfaces.Input<F, B, A>, argv = this.argv): Promise<Interfaces.ParserOutput<F, B, A>> {
    // note: oclif fills a missing argument from piped stdin, so `bkend data import posts < rows.ndjson` would take
    // the rows for the file name; our commands read stdin only where an argument or flag says `-`
    for (const arg of Object.values(options?.args ?? {})) (arg as { ignoreStdin?: boolean }).ignoreStdin = true
    let parsed: Interfaces.ParserOutput<F, B, A>
    try {
      parsed = await super.parse(options, argv)
    } catch (error) {
      throw explainArgOrder(error, `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trim())
    }
    this.fieldSelection = (parsed.flags as { fields?: FieldSelection }).fields
    return parsed
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    const { shown, exitCode } = showError(error)
    // words after `--` are another program's (`bkend dev exec -- bkend tables list --json`), not this command's flags
    const dashes = this.argv.indexOf('--')
    if ((dashes === -1 ? this.argv : this.argv.slice(0, dashes)).includes('--json') || this.fieldSelection !== undefined) {
      process.stderr.write(JSON.stringify({ error: shown }) + '\n')
    } else {
      process.stderr.write(`Error: ${shown.message}\n`)
      if (shown.hint) process.stderr.write(`Hint: ${shown.hint}\n`)
      if (shown.code === 'cli/usage' && !(error instanceof CliError)) process.stderr.write(`See: ${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help\n`)
    }
    this.exit(this.failureExitCode(exitCode))
  }

  /** The exit code of a failure; a command that gives 1 another meaning (`bkend diff`: differences) maps it. */
  protected failureExitCode(code: ExitCode): number {
    return code
  }
}

/** How any thrown error is shown, and the exit code it ends the command with. */
export function showError(error: Error): { shown: ShownError; exitCode: ExitCode } {
  if (error instanceof ClientError) {
    const fields = error.details.fields ?? []
    const shown: ShownError = { code: error.code, message: describeClientError(error), hint: hintFor(error) ?? null }
    if (fields.length) shown.details = fields
    return { shown, exitCode: USAGE_CODES.has(error.code) ? 2 : 1 }
  }
  if (error instanceof ConfigError) {
    return { shown: { code: error.code, message: error.message, hint: 'fix the files as each line says (docs/config.md describes them)', problems: error.problems }, exitCode: error.exitCode }
  }
  if (error instanceof CliError) {
    return { shown: { code: error.code, message: error.message, hint: error.hint ?? hintFor({ code: error.code, status: 0, details: {}, request: '' }) ?? null }, exitCode: error.exitCode }
  }
  const usage = error instanceof Errors.CLIError && (error.oclif?.exit === 2 || /Unexpected argument|Missing required flag|Nonexistent flag|Expected --|Missing \d+ required arg/.test(error.message))
  return { shown: { code: usage ? 'cli/usage' : 'cli/error', message: error.message.replace(/\s*See more help with --help\s*$/, ''), hint: null }, exitCode: usage ? 2 : 1 }
}
