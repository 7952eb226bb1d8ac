import type { Clock } from '../clock.js'
import { newId } from '../ids.js'
import { U, type AccountDoc, type AccountProvider } from './model.js'
import type { UserPool } from './user-pool.js'

/** The ways one environment's users sign in (rest-auth.md §3.9): reads and new documents, no HTTP. */
export class Accounts {
  constructor(
    private readonly pool: UserPool,
    private readonly clock: Clock,
  ) {}

  /**
   * A new account document (not stored yet). Without a provider account id it is the `email` credential, whose
   * provider account id is the email address.
   */
  build(user: { id: string; email: string }, provider: AccountProvider, providerAccountId?: string, email = user.email): AccountDoc {
    return {
      id: newId(this.clock.nowMs()),
      userId: user.id,
      type: provider === 'email' ? 'credentials' : 'oauth',
      provider,
      providerAccountId: providerAccountId ?? user.email,
      email,
      connectedAt: this.clock.iso(),
    }
  }

  /** Every account of a user, oldest first. */
  ofUser(environmentId: string, userId: string): AccountDoc[] {
    return this.all(environmentId).filter((a) => a.userId === userId)
  }

  /** The account a provider identity is linked to, if any. */
  find(environmentId: string, provider: AccountProvider, providerAccountId: string): AccountDoc | undefined {
    return this.all(environmentId).find((a) => a.provider === provider && a.providerAccountId === providerAccountId)
  }

  /** True when the user signs in only through social providers (no password, no email credential). */
  onlySocial(environmentId: string, userId: string): boolean {
    const accounts = this.ofUser(environmentId, userId)
    return accounts.length > 0 && accounts.every((a) => a.type === 'oauth') && !this.pool.get(environmentId, userId)?.passwordHash
  }

  all(environmentId: string): AccountDoc[] {
    return [...this.pool.db(environmentId).collection<AccountDoc>(U.accounts).values()]
  }
}
