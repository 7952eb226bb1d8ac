import type { Database, Op } from '../../store/store.js'
import type { Environments } from '../tenancy/environments.js'
import { DomainError, notFound } from '../errors.js'
import { U, type UserDoc } from './model.js'

/**
 * Access to one environment's users with an email index, so sign-in and uniqueness checks cost O(1) whatever
 * the pool size. Deleted (withdrawn) users are kept for history but are invisible here.
 */
export class UserPool {
  private readonly byEmail = new Map<string, Map<string, string>>()
  private readonly watched = new WeakSet<Database>()

  constructor(private readonly envs: Environments) {
    envs.onDrop((id) => void this.byEmail.delete(id))
  }

  db(environmentId: string): Database {
    const db = this.envs.database(environmentId)
    if (!db) throw notFound('data/environment-not-found', `Environment ${environmentId} not found`)
    return db
  }

  private index(environmentId: string): Map<string, string> {
    let index = this.byEmail.get(environmentId)
    if (!index) {
      const db = this.db(environmentId)
      if (!this.watched.has(db)) {
        this.watched.add(db)
        // A refused write is rolled back from memory after the index took it in: rebuild the index on next use.
        db.onRollBack(() => void this.byEmail.delete(environmentId))
      }
      index = new Map()
      for (const user of db.collection<UserDoc>(U.users).values()) if (!user.deletedAt) index.set(user.email, user.id)
      this.byEmail.set(environmentId, index)
    }
    return index
  }

  get(environmentId: string, userId: string): UserDoc | undefined {
    const user = this.db(environmentId).collection<UserDoc>(U.users).get(userId)
    return user && !user.deletedAt ? user : undefined
  }

  /** The record of a signed-in user, who may have been deleted since the token was issued: 404 then. */
  current(environmentId: string, userId: string): UserDoc {
    const user = this.get(environmentId, userId)
    if (!user) throw new DomainError('auth/user-not-found', 'not-found', 'The user no longer exists')
    return user
  }

  byEmailAddress(environmentId: string, email: string): UserDoc | undefined {
    const id = this.index(environmentId).get(email)
    return id ? this.get(environmentId, id) : undefined
  }

  /** Live users, oldest first. */
  all(environmentId: string): UserDoc[] {
    const live: UserDoc[] = []
    for (const user of this.db(environmentId).collection<UserDoc>(U.users).values()) if (!user.deletedAt) live.push(user)
    return live
  }

  /**
   * Stores a new or changed user, with the operations that belong to the same change (accounts, MFA, sessions) in
   * one journal batch, and keeps the email index in step.
   */
  async save(environmentId: string, before: UserDoc | undefined, after: UserDoc, alongside: readonly Op[] = []): Promise<void> {
    const written = this.db(environmentId).commit([{ c: U.users, p: after }, ...alongside])
    // The write is already in memory: index it in the same tick, so no request sees the two disagree.
    this.track(environmentId, before, after)
    await written
  }

  private track(environmentId: string, before: UserDoc | undefined, after: UserDoc): void {
    const index = this.index(environmentId)
    if (before && index.get(before.email) === before.id) index.delete(before.email)
    if (!after.deletedAt) index.set(after.email, after.id)
  }
}
