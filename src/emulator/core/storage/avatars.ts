import type { EnvScope } from '../auth/auth-service.js'
import type { UserDoc } from '../auth/model.js'
import type { UserPool } from '../auth/user-pool.js'
import type { UsersService } from '../auth/users-service.js'
import { invalid } from '../errors.js'
import { newId } from '../ids.js'
import type { Principal } from '../principal.js'
import { ensureBlobSpace, envDb, expiry, signedUrl, type StorageDeps } from './context.js'
import type { FileService } from './files.js'
import { LIMITS, S, publicObjectUrl, type AvatarDoc } from './model.js'
import { buildKey, checkFileName } from './names.js'
import type { Transfer } from './transfer.js'

const AVATAR_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp']

/** User avatars (rest-auth.md §4.4): objects in bucket `avatars`, served publicly once set; not file records. */
export class Avatars {
  constructor(
    private readonly deps: StorageDeps,
    private readonly users: UsersService,
    private readonly pool: UserPool,
    private readonly files: FileService,
    private readonly transfer: Transfer,
  ) {}

  async uploadUrl(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<{ uploadUrl: string; url: string; key: string; expiresAt: string }> {
    const user = this.users.selfOrAdminTarget(scope, principal, userId)
    const filename = checkFileName(body.filename)
    if (typeof body.contentType !== 'string' || !AVATAR_TYPES.includes(body.contentType)) throw invalid('file/invalid-format', `contentType must be one of ${AVATAR_TYPES.join(', ')}`)
    const envId = scope.environment.id
    await ensureBlobSpace(this.deps, envId)
    await this.files.sweep(envId)
    const id = newId(this.deps.clock.nowMs())
    const doc: AvatarDoc = {
      id,
      key: buildKey('avatars', user.id, id, filename),
      userId: user.id,
      status: 'pending',
      mimeType: body.contentType,
      bytes: null,
      expiresAt: expiry(this.deps, LIMITS.pendingSeconds).iso,
      createdAt: this.deps.clock.iso(),
    }
    await envDb(this.deps, envId).put(S.avatars, doc)
    const exp = expiry(this.deps, LIMITS.uploadUrlSeconds)
    const url = signedUrl(this.deps, { environmentId: envId, key: doc.key, kind: 'avatar', method: 'PUT', uploadId: null, partNumber: null, maxSize: this.deps.maxFileSize, contentType: doc.mimeType, exp: exp.ms })
    return { uploadUrl: url, url, key: doc.key, expiresAt: exp.iso }
  }

  /** Makes an uploaded avatar the user's `image` and deletes the previous one. */
  async set(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<{ image: string }> {
    const user = this.users.selfOrAdminTarget(scope, principal, userId)
    const envId = scope.environment.id
    const avatar = this.transfer.avatar(envId, body.s3Key)
    if (!avatar || avatar.userId !== user.id || !avatar.bytes) throw invalid('file/invalid-path', 's3Key must be an avatar key issued for this user, with its bytes uploaded')
    await envDb(this.deps, envId).put(S.avatars, { ...avatar, status: 'active' })
    await this.removePrevious(envId, user.id, avatar.id)
    const image = publicObjectUrl(this.deps.publicBase(), avatar.key)
    await this.saveImage(scope, user, image)
    return { image }
  }

  async remove(scope: EnvScope, principal: Principal, userId: string): Promise<{ message: string }> {
    const user = this.users.selfOrAdminTarget(scope, principal, userId)
    await this.removePrevious(scope.environment.id, user.id, null)
    await this.saveImage(scope, user, null)
    return { message: 'Avatar deleted' }
  }

  /** A deleted user's avatar stops being served: its record and bytes go. */
  async removeAll(envId: string, userId: string): Promise<void> {
    await this.removePrevious(envId, userId, null)
  }

  private async removePrevious(envId: string, userId: string, keep: string | null): Promise<void> {
    const db = envDb(this.deps, envId)
    const previous = [...db.collection<AvatarDoc>(S.avatars).values()].filter((a) => a.userId === userId && a.status === 'active' && a.id !== keep)
    for (const avatar of previous) {
      await db.delete(S.avatars, avatar.id)
      await this.deps.blobs.remove({ environmentId: envId, object: avatar.id })
    }
  }

  private async saveImage(scope: EnvScope, user: UserDoc, image: string | null): Promise<void> {
    const after: UserDoc = { ...user, image, updatedAt: this.deps.clock.iso() }
    await this.pool.save(scope.environment.id, user, after)
  }
}
