import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { DomainError, notFound } from '../errors.js'
import type { KeyContext } from '../keys/api-keys.js'
import type { Principal } from '../principal.js'
import type { Environments } from '../tenancy/environments.js'
import type { BlobStore } from './blobs.js'
import type { OwnerType } from './model.js'
import type { StorageClaims, StorageTokens } from './tokens.js'

/** What every storage service shares. */
export interface StorageDeps {
  envs: Environments
  clock: Clock
  tokens: StorageTokens
  blobs: BlobStore
  /** Largest object (single or assembled) in bytes. */
  maxFileSize: number
  /** Origin that signed and public URLs point at (`--public-url`, else the emulator origin). */
  publicBase: () => string
}

/** The environment's database; a vanished environment is a 404. */
export function envDb(deps: StorageDeps, environmentId: string): Database {
  const db = deps.envs.database(environmentId)
  if (!db) throw notFound('file/not-found', 'The environment of this file no longer exists')
  return db
}

/** Signs claims into a URL on the emulator storage routes. */
export function signedUrl(deps: StorageDeps, claims: StorageClaims): string {
  const route = claims.kind === 'download' ? 'download' : 'upload'
  return `${deps.publicBase()}/_emulator/storage/${route}/${deps.tokens.sign(claims)}`
}

/** `now + seconds` on the emulator clock, as epoch ms and ISO string. */
export function expiry(deps: StorageDeps, seconds: number): { ms: number; iso: string } {
  const ms = deps.clock.nowMs() + seconds * 1000
  return { ms, iso: new Date(ms).toISOString() }
}

/** Who calls a `/v1/files` route (rest-storage.md §1.1). */
export interface FileCaller {
  environmentId: string
  ownerId: string
  ownerType: OwnerType
  admin: boolean
  /** The signed-in user, if any (for `sharedWith`). */
  userId: string | null
}

/** A user JWT, or a secret key alone (a service caller, owner id = the key's id); `pk_` alone is 401 (RS-D2). */
export function fileCaller(ctx: KeyContext, principal: Principal): FileCaller {
  const admin = principal.group === 'admin'
  if (principal.userId) return { environmentId: ctx.environment.id, ownerId: principal.userId, ownerType: 'user', admin, userId: principal.userId }
  if (principal.via === 'secret') return { environmentId: ctx.environment.id, ownerId: ctx.key.id, ownerType: 'service', admin: true, userId: null }
  throw new DomainError('common/authentication-required', 'unauthorized', 'Sign in first: send Authorization: Bearer <access token> (or call from a server with a secret key)')
}
