import { EmulatorControls } from '../client/emulator-controls.js'
import { RestError } from '../client/rest.js'
import { BaseCommand } from './base-command.js'
import { CliError } from './errors.js'
import { restErrorToCli } from './io/rest-errors.js'
import { resolveTargetContext, targetFlags, type TargetContext, type TargetFlagValues } from './target.js'

/** The flags that find the local emulator; project and environment do not apply to its controls. */
export const controlFlags = { target: targetFlags.target, 'data-dir': targetFlags['data-dir'], profile: targetFlags.profile, wait: targetFlags.wait }

/**
 * Base of the commands that drive the local emulator's controls (`bkend dev clock`, `bkend mail`): they find the
 * running `bkend dev` through its runtime.json and authenticate with its tenant token. Other targets have no
 * controls, so those commands stop with an explanation instead of a 404.
 */
export abstract class ControlCommand extends BaseCommand {
  static override enableJsonFlag = true
  static override baseFlags = controlFlags

  private controlsClient: EmulatorControls | undefined
  protected context: TargetContext | undefined

  /** The controls of the local emulator the flags select; `what` names the feature for the error on other targets. */
  protected async controls(flags: TargetFlagValues, what: string): Promise<EmulatorControls> {
    this.context = await resolveTargetContext(flags).catch((error: unknown) => {
      if (error instanceof CliError && error.code === 'target/no-emulator') throw new CliError(error.message, "start it with 'bkend dev' in this directory, or pass --data-dir <the data dir it runs on>", 1, error.code)
      throw error
    })
    if (this.context.kind !== 'local') {
      throw new CliError(
        `${what} exists only in the local emulator, and the target is ${this.context.target}`,
        "start 'bkend dev' and run this without --target (or with --target local and --data-dir <its data dir>)",
        1,
        'target/unsupported',
      )
    }
    this.controlsClient = new EmulatorControls(this.context.restUrl, this.context.runtime!.tenantToken)
    return this.controlsClient
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(error instanceof RestError ? this.controlError(error) : error)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.controlsClient?.close()
    return super.finally(error)
  }

  private controlError(error: RestError): CliError {
    const dir = this.context?.dataDir ?? 'the data dir'
    if (error.status === 0) {
      return new CliError(`no bkend dev answers at ${this.context?.restUrl} (${dir}/runtime.json is left from an earlier run)`, "start it with 'bkend dev', or pass --data-dir <dir> of the one that is running", 1, 'target/no-emulator')
    }
    if (error.status === 401) {
      return new CliError('the emulator refused the tenant token in runtime.json', `another bkend dev may have rewritten ${dir}/runtime.json; restart bkend dev`, 1, error.code)
    }
    if (error.status === 404 && error.request.includes('/_emulator/mailbox/')) {
      return new CliError(error.message, "list the messages with 'bkend mail list'", 1, error.code)
    }
    return restErrorToCli(error)
  }
}
