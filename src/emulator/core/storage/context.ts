import { Readable } from 'node:stream'
import { BlobSpaceError, BlobTooLargeError, type BlobStore, type Database, type StagedBlob } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { DomainError, invalid, notFound, refused } from '../errors.js'
import type { KeyContext } from '../keys/api-keys.js'
import type { Principal } from '../principal.js'
import type { Environments } from '../tenancy/environments.js'
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
  /** The file API's extensions (RS-D5, §2.4): `publicUrl`, `sharedWith`, `type/*` MIME filters; off in cloud-parity mode. */
  extensions: boolean
}

/** The environment's database; a vanished environment is a 404. */
export function envDb(deps: StorageDeps, environmentId: string): Database {
  const db = deps.envs.database(environmentId)
  if (!db) throw notFound('file/not-found', 'The environment of this file no longer exists')
  return db
}

/** Makes sure the environment's bytes can be stored before URLs pointing at them are handed out. */
export async function ensureBlobSpace(deps: StorageDeps, environmentId: string): Promise<void> {
  try {
    await deps.blobs.ensure(environmentId)
  } catch (error) {
    if (error instanceof BlobSpaceError) throw new DomainError('file/bucket-not-configured', 'internal', error.message)
    throw error
  }
}

/**
 * Streams bytes into a staged blob; past `maxSize` it is refused with 400 `file/file-too-large` as soon as the
 * limit is passed. A `Readable` source is read without being destroyed on refusal, so an HTTP request can still be
 * answered and drained.
 */
export async function stageBlob(deps: StorageDeps, environmentId: string, source: Readable | AsyncIterable<Buffer>, maxSize: number): Promise<StagedBlob> {
  try {
    await ensureBlobSpace(deps, environmentId)
    return await deps.blobs.stage(environmentId, source instanceof Readable ? source.iterator({ destroyOnReturn: false }) : source, maxSize)
  } catch (error) {
    if (error instanceof BlobTooLargeError) throw invalid('file/file-too-large', `The upload is larger than the allowed ${error.maxSize} bytes`)
    throw error
  }
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
  throw refused('unauthorized', 'common/authentication-required', 'Sign in first: send Authorization: Bearer <access token> (or call from a server with a secret key)', {
    check: 'credential',
    details: { expected: 'a user access token, or a secret key', header: 'Authorization: Bearer', presented: 'publishable key alone', allow: 'sign in and send the access token along the publishable key, or call from a server with a secret key' },
  })
}
