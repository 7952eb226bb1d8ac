import type { Database } from '../store/store.js'
import type { Clock } from './clock.js'
import { randomHex, sha256 } from './ids.js'

/** A stored one-time token: only its SHA-256 (the id) is kept, never the token itself. */
export interface OneTimeTokenDoc {
  [key: string]: unknown
  /** SHA-256 hex of the raw token. */
  id: string
  /** What the token is for (`magic_link`, `password_reset`, `invitation`, …); a token never serves another purpose. */
  purpose: string
  /** The normalised e-mail address the token was sent to, if any. */
  email: string | null
  /** The user the token is bound to, if any (a signed-in user changing their contact e-mail, …). */
  userId: string | null
  /** Flow-specific values remembered until the token is used (callback URL, invitation id, …). */
  data: Record<string, unknown> | null
  createdAt: string
  /** Epoch milliseconds by the emulator clock. */
  expiresAt: number
}

export interface IssueInput {
  purpose: string
  email?: string | null
  userId?: string | null
  ttlSeconds: number
  data?: Record<string, unknown> | null
  /** Invalidate the unused tokens of the same purpose for the same e-mail first (default: true when `email` is set). */
  replacePrevious?: boolean
  /** Random bytes of the token (default 32, i.e. 64 hex), for flows whose token length is specified. */
  bytes?: number
}

/** Why a presented token was refused: never issued, already used, issued for another e-mail → unknown. */
export type OneTimeTokenFailure = 'unknown' | 'expired'

export interface RedeemOptions {
  /** When given, the token must have been issued for this (normalised) e-mail. */
  email?: string | null
  /** The domain error a flow answers for each failure (codes differ per flow). */
  fail: (failure: OneTimeTokenFailure) => Error
}

const COLLECTION = 'oneTimeTokens'

/**
 * Single-use, expiring tokens for e-mail links and codes (magic links, password reset, verification, invitations,
 * fake-IdP codes): 32 CSPRNG bytes as 64 hex, stored only as SHA-256, expiring by the emulator clock. The caller
 * picks the database, so tokens live beside what they unlock (an environment's user pool, or the control database).
 */
export class OneTimeTokens {
  /**
   * Per database, the ids of its tokens by purpose and e-mail, built on first need and kept by this class's own
   * writes. Finding the tokens a new one replaces was a walk of every token, one per sign-up, so each sign-up cost
   * in proportion to the users before it (seeding 10,000 users was quadratic). Dropped when the database rolls back
   * or replaces collections, and rebuilt when the token count is not the one it last saw (a restore, a reset).
   */
  private readonly byEmail = new WeakMap<Database, { size: number; ids: Map<string, Set<string>> }>()
  /** The databases whose roll-backs drop their index (one listener each, however often the index is rebuilt). */
  private readonly watched = new WeakSet<Database>()

  constructor(private readonly clock: Clock) {}

  /** Stores a new token and returns it raw: the only time the plaintext exists. */
  async issue(db: Database, input: IssueInput): Promise<{ token: string; doc: OneTimeTokenDoc }> {
    const email = input.email ?? null
    const now = this.clock.nowMs()
    const token = randomHex(input.bytes ?? 32)
    const doc: OneTimeTokenDoc = {
      id: sha256(token),
      purpose: input.purpose,
      email,
      userId: input.userId ?? null,
      data: input.data ?? null,
      createdAt: new Date(now).toISOString(),
      expiresAt: now + input.ttlSeconds * 1000,
    }
    const replaced = (input.replacePrevious ?? email !== null) && email !== null ? this.matching(db, input.purpose, email) : []
    const written = db.commit([...replaced.map((d) => ({ c: COLLECTION, d: d.id })), { c: COLLECTION, p: doc }])
    this.indexed(db, replaced, doc)
    await written
    return { token, doc }
  }

  /** True when this database holds the token (used or not yet expired alike): finds a token's environment. */
  holds(db: Database, token: string): boolean {
    return db.collection(COLLECTION).has(sha256(token))
  }

  /** The token's record if it is valid now, without using it up; otherwise the flow's error. */
  peek(db: Database, purpose: string, token: unknown, options: RedeemOptions): OneTimeTokenDoc {
    const doc = typeof token === 'string' && token !== '' ? db.collection<OneTimeTokenDoc>(COLLECTION).get(sha256(token)) : undefined
    if (!doc || doc.purpose !== purpose || (options.email != null && doc.email !== options.email)) throw options.fail('unknown')
    if (doc.expiresAt <= this.clock.nowMs()) throw options.fail('expired')
    return doc
  }

  /** Uses a token up: valid once, then unknown. The check and the removal happen in one tick, so two racing uses cannot both pass. */
  async consume(db: Database, purpose: string, token: unknown, options: RedeemOptions): Promise<OneTimeTokenDoc> {
    const doc = this.peek(db, purpose, token, options)
    const written = db.delete(COLLECTION, doc.id)
    this.indexed(db, [doc])
    await written
    return doc
  }

  /** Invalidates every unused token of a purpose for an e-mail. */
  async invalidate(db: Database, purpose: string, email: string): Promise<void> {
    const matching = this.matching(db, purpose, email)
    if (matching.length === 0) return
    const written = db.commit(matching.map((d) => ({ c: COLLECTION, d: d.id })))
    this.indexed(db, matching)
    await written
  }

  /** The unused tokens of a purpose for an e-mail. */
  private matching(db: Database, purpose: string, email: string): OneTimeTokenDoc[] {
    const docs = db.collection<OneTimeTokenDoc>(COLLECTION)
    if (docs.size === 0) return []
    const ids = this.index(db, docs).ids.get(indexKey(purpose, email))
    const found: OneTimeTokenDoc[] = []
    for (const id of ids ?? []) {
      const doc = docs.get(id)
      if (doc && doc.purpose === purpose && doc.email === email) found.push(doc)
    }
    return found
  }

  private index(db: Database, docs: ReadonlyMap<string, OneTimeTokenDoc>): { size: number; ids: Map<string, Set<string>> } {
    const known = this.byEmail.get(db)
    if (known && known.size === docs.size) return known
    if (!this.watched.has(db)) {
      this.watched.add(db)
      db.onRollBack(() => void this.byEmail.delete(db))
    }
    const ids = new Map<string, Set<string>>()
    for (const doc of docs.values()) if (doc.email !== null) addId(ids, doc)
    const index = { size: docs.size, ids }
    this.byEmail.set(db, index)
    return index
  }

  /** Brings the index up to this class's own write, just applied to memory: `removed` gone, `added` stored. */
  private indexed(db: Database, removed: readonly OneTimeTokenDoc[], added?: OneTimeTokenDoc): void {
    const index = this.byEmail.get(db)
    if (!index) return
    const docs = db.collection<OneTimeTokenDoc>(COLLECTION)
    // A write the journal refused at once was never applied: the index is rebuilt from what is there.
    if ((added && docs.get(added.id) !== added) || removed.some((doc) => docs.has(doc.id))) return void this.byEmail.delete(db)
    for (const doc of removed) if (doc.email !== null) index.ids.get(indexKey(doc.purpose, doc.email))?.delete(doc.id)
    if (added?.email != null) addId(index.ids, added)
    index.size = docs.size
  }
}

const indexKey = (purpose: string, email: string) => `${purpose}\u0000${email}`

function addId(ids: Map<string, Set<string>>, doc: OneTimeTokenDoc): void {
  const key = indexKey(doc.purpose, doc.email as string)
  let set = ids.get(key)
  if (!set) ids.set(key, (set = new Set()))
  set.add(doc.id)
}
