import type { UserPool } from '../auth/user-pool.js'
import type { UsersService } from '../auth/users-service.js'
import type { Clock } from '../clock.js'
import type { Store } from '../../store/store.js'
import type { Environments } from '../tenancy/environments.js'
import { Avatars } from './avatars.js'
import type { StorageDeps } from './context.js'
import { FileService } from './files.js'
import { Images } from './images.js'
import { LIMITS } from './model.js'
import { Multipart } from './multipart.js'
import { StorageTokens } from './tokens.js'
import { Transfer } from './transfer.js'

export interface StorageOptions {
  /** Largest object in bytes (default 5 GiB, RS-D7). */
  maxFileSize?: number
  /** Origin of signed and public URLs, read lazily (the emulator origin is known only after listening). */
  publicBase: () => string
  /** The file API's extensions; off in cloud-parity mode (README-D12). Default on. */
  extensions?: boolean
}

/** Storage, composed: file records, multipart uploads, signed-URL transfers, avatars and image variants over one blob store. */
export class Storage {
  readonly files: FileService
  readonly multipart: Multipart
  readonly transfer: Transfer
  readonly avatars: Avatars
  readonly images: Images

  private constructor(deps: StorageDeps, users: UsersService, pool: UserPool) {
    this.files = new FileService(deps)
    this.transfer = new Transfer(deps, this.files)
    this.multipart = new Multipart(deps, this.files, this.transfer)
    this.avatars = new Avatars(deps, users, pool, this.files, this.transfer)
    this.images = new Images(deps, this.transfer)
    // An environment's bytes go with its database (environment or project deletion).
    deps.envs.onDrop((environmentId) => deps.blobs.drop(environmentId))
  }

  /** Bytes live in the store's blob store. */
  static async create(store: Store, envs: Environments, clock: Clock, users: UsersService, pool: UserPool, options: StorageOptions): Promise<Storage> {
    await StorageTokens.ensureSecret(store.control)
    const blobs = store.blobs
    const deps: StorageDeps = {
      envs,
      clock,
      blobs,
      tokens: new StorageTokens(store.control, clock),
      maxFileSize: options.maxFileSize ?? LIMITS.defaultMaxFileSize,
      publicBase: () => options.publicBase().replace(/\/+$/, ''),
      extensions: options.extensions ?? true,
    }
    const storage = new Storage(deps, users, pool)
    // Bytes of environments that no longer exist (a crash between dropping the database and the bytes), and uploads
    // a crash cut off.
    await blobs.sweep((id) => envs.doc(id) !== undefined)
    return storage
  }
}
