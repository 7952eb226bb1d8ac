import { Command, Errors, type Interfaces } from '@oclif/core'
import { explainArgOrder } from './arg-order.js'
import { CliError } from './errors.js'
import { selectFields, type FieldSelection } from './fields.js'
import { expandBareWait } from './target.js'

type Output = Record<string, unknown>

/**
 * Every bkend command: one place where errors become a message on stderr, a hint, and an exit code
 * (1 failure, 2 usage). With --json, the error is one JSON document on stderr and stdout stays empty.
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
    const usage = error instanceof Errors.CLIError && (error.oclif?.exit === 2 || /Unexpected argument|Missing required flag|Nonexistent flag|Expected --|Missing \d+ required arg/.test(error.message))
    if (error instanceof Errors.ExitError) throw error
    const cli = error instanceof CliError ? error : new CliError(stripOclif(error.message), undefined, usage ? 2 : 1, usage ? 'cli/usage' : 'cli/error')
    if (this.argv.includes('--json')) {
      process.stderr.write(JSON.stringify({ error: { code: cli.code, message: cli.message, hint: cli.hint ?? null } }) + '\n')
    } else {
      process.stderr.write(`Error: ${cli.message}\n`)
      if (cli.hint) process.stderr.write(`Hint: ${cli.hint}\n`)
      if (usage) process.stderr.write(`See: ${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help\n`)
    }
    this.exit(cli.exitCode)
  }
}

function stripOclif(message: string): string {
  return message.replace(/\s*See more help with --help\s*$/, '')
}
