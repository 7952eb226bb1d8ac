import { RestClient, RestError } from '../../client/rest.js'
import { BaseCommand } from '../base-command.js'
import { resolveRuntimeTarget, runtimeFlags, type RuntimeFlagValues, type RuntimeTarget } from '../target.js'
import { restErrorToCli } from './rest-errors.js'

/**
 * Base of the runtime commands (users, data): the target flags, a REST client for the resolved environment, REST
 * failures mapped to CLI errors with hints, and the client's sockets closed when the command ends.
 */
export abstract class RuntimeCommand extends BaseCommand {
  static override enableJsonFlag = true
  static override baseFlags = runtimeFlags

  private rest: RestClient | undefined
  protected target: RuntimeTarget | undefined

  /** The REST client for the environment the flags select; bulk commands say how many requests they keep in flight. */
  protected async client(flags: RuntimeFlagValues, bulk?: { connections: number }): Promise<RestClient> {
    this.target = await resolveRuntimeTarget(flags)
    this.rest = new RestClient({ restUrl: this.target.restUrl, secretKey: this.target.secretKey, connections: bulk?.connections, bulk: bulk !== undefined })
    return this.rest
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    return super.catch(error instanceof RestError ? restErrorToCli(error) : error)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await this.rest?.close()
    return super.finally(error)
  }
}
