import { EmulatorControls } from '../client/emulator-controls.js'
import { BaseCommand } from './base-command.js'
import { localTenantToken } from './connect.js'
import { CliError } from './errors.js'
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

  /**
   * The controls of the local emulator the flags select; `what` names the feature for the error on other targets.
   * `asLogin`: act as the tenant of a `bkend login --target local` when there is one (e.g. `bkend open`), not as the
   * emulator's first tenant.
   */
  protected async controls(flags: TargetFlagValues, what: string, asLogin = false): Promise<EmulatorControls> {
    this.context = await resolveTargetContext(flags)
    if (this.context.kind !== 'local') {
      throw new CliError(`${what} exists only in the local emulator, and the target is ${this.context.target}`, undefined, 1, 'target/unsupported')
    }
    this.controlsClient = new EmulatorControls(this.context.restUrl, asLogin ? await localTenantToken(this.context) : this.context.runtime!.tenantToken)
    return this.controlsClient
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.controlsClient?.close()
    return super.finally(error)
  }
}
