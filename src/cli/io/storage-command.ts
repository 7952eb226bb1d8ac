import type { StorageClient } from '../../client/storage.js'
import type { RuntimeFlagValues } from '../target.js'
import { RuntimeCommand } from './runtime-command.js'

/** Base of `bkend files …`: the runtime client's storage API, closed with it when the command ends. */
export abstract class StorageCommand extends RuntimeCommand {
  /** The storage client for the environment the flags select; transfers say how many connections they use. */
  protected async storage(flags: RuntimeFlagValues, transfer?: { connections: number }): Promise<StorageClient> {
    // note: not a "bulk" REST client even for large transfers: the bytes never pass through undici's WebAssembly
    // parser in a way its optimizing compile would speed up (measured: same throughput), and that compile costs
    // ~35 MB of resident memory and time at exit
    return (await this.runtime(flags)).files(transfer?.connections)
  }
}
