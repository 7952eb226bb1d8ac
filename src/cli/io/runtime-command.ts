import { RuntimeClient } from '../../client/runtime.js'
import { BaseCommand } from '../base-command.js'
import { resolveRuntimeTarget, runtimeFlags, type RuntimeFlagValues, type RuntimeTarget } from '../target.js'

/**
 * Base of the runtime commands (users, data, files): the target flags, the runtime client for the resolved
 * environment, and its sockets closed when the command ends.
 */
export abstract class RuntimeCommand extends BaseCommand {
  static override enableJsonFlag = true
  static override baseFlags = runtimeFlags

  private client: RuntimeClient | undefined
  protected target: RuntimeTarget | undefined

  /** The runtime client for the environment the flags select; bulk commands say how many requests they keep in flight. */
  protected async runtime(flags: RuntimeFlagValues, bulk?: { connections: number }): Promise<RuntimeClient> {
    this.target = await resolveRuntimeTarget(flags)
    this.client = new RuntimeClient({ restUrl: this.target.restUrl, secretKey: this.target.secretKey, environment: this.target.environment, connections: bulk?.connections, bulk: bulk !== undefined })
    return this.client
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.client?.close()
    return super.finally(error)
  }
}
