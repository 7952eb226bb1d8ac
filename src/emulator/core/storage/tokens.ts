import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { forbidden } from '../errors.js'
import { randomHex } from '../ids.js'
import { C } from '../tenancy/model.js'

const SECRET_ID = 'storage-url'

/** What a signed URL lets its holder do: upload an object, a part or an avatar (PUT), or download (GET). */
export type TokenKind = 'object' | 'part' | 'avatar' | 'download'

/** The signed payload of rest-storage.md §4. */
export interface StorageClaims {
  environmentId: string
  key: string
  kind: TokenKind
  /** HTTP method the URL is for: PUT for uploads, GET for downloads. */
  method: 'PUT' | 'GET'
  uploadId: string | null
  partNumber: number | null
  /** Largest body an upload URL accepts, in bytes. */
  maxSize: number | null
  contentType: string | null
  /** Expiry, epoch milliseconds (emulator clock). */
  exp: number
}

const denied = (message: string) => forbidden('file/access-denied', message)

/**
 * Signed storage URL tokens: `<base64url(JSON payload)>.<base64url(HMAC-SHA256)>` with a secret generated once per
 * data directory. Verification is constant time and checks expiry against the emulator clock.
 */
export class StorageTokens {
  private readonly secret: Buffer

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    const stored = db.collection(C.secrets).get(SECRET_ID)
    if (!stored) throw new Error('storage URL secret missing: call StorageTokens.ensureSecret first')
    this.secret = Buffer.from(stored.value as string, 'hex')
  }

  /** Creates the signing secret on first start. */
  static async ensureSecret(db: Database): Promise<void> {
    if (!db.collection(C.secrets).has(SECRET_ID)) await db.put(C.secrets, { id: SECRET_ID, value: randomHex(32) })
  }

  sign(claims: StorageClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
    return `${payload}.${this.mac(payload).toString('base64url')}`
  }

  /** The claims of a genuine, unexpired token issued for `kinds` and `method`; anything else is 403. */
  verify(token: string, method: string, kinds: readonly TokenKind[]): StorageClaims {
    const dot = token.indexOf('.')
    if (dot <= 0) throw denied('This storage URL is not valid')
    const payload = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = this.mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw denied('This storage URL is not valid')
    let claims: StorageClaims
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as StorageClaims
    } catch {
      throw denied('This storage URL is not valid')
    }
    if (!kinds.includes(claims.kind) || claims.method !== method) throw denied(`This storage URL is not for ${method} requests of this kind`)
    if (typeof claims.exp !== 'number' || claims.exp <= this.clock.nowMs()) throw denied('This storage URL has expired')
    return claims
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest()
  }
}
