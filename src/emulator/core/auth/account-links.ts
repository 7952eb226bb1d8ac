import type { Page } from '../../../contract/common.js'
import { conflict, invalid, notFound } from '../errors.js'
import { pageOf, pageParams } from '../paging.js'
import type { UserIdentity } from '../principal.js'
import type { AuthService, EnvScope } from './auth-service.js'
import { ACCOUNT_PROVIDERS, U, accountView, normalizeEmail, type AccountProvider, type AccountView } from './model.js'
import type { ProviderProof, SocialAuth } from './social.js'

const CODE = 'auth/invalid-request'

function accountProvider(value: unknown): AccountProvider {
  if (!(ACCOUNT_PROVIDERS as readonly unknown[]).includes(value)) throw invalid('auth/unsupported-provider', `Unsupported provider ${JSON.stringify(value)}: use email, google or github`)
  return value as AccountProvider
}

/** The signed-in user's ways to sign in (rest-auth.md §3.9): link a social identity, list, unlink, check. */
export class AccountLinks {
  constructor(
    private readonly auth: AuthService,
    private readonly social: SocialAuth,
  ) {}

  private get accounts() {
    return this.auth.accounts
  }

  /** `POST /v1/auth/accounts`: links the provider identity behind a code or token to the caller. */
  async link(scope: EnvScope, user: UserIdentity, body: Record<string, unknown> & ProviderProof): Promise<Record<string, never>> {
    if (body.provider === undefined) throw invalid(CODE, 'provider is required (google or github)')
    const { provider } = this.social.enabledProvider(scope, body.provider)
    const identity = await this.social.identity(provider, body)
    const envId = scope.environment.id
    if (this.accounts.find(envId, provider, identity.sub)) throw conflict('auth/account-already-linked', `This ${provider} account is already linked to a user`)
    if (this.accounts.ofUser(envId, user.userId).some((a) => a.provider === provider)) throw conflict('auth/account-already-linked', `You already have a linked ${provider} account; unlink it first`)
    await this.auth.pool.db(envId).put(U.accounts, this.accounts.build({ id: user.userId, email: identity.email }, provider, identity.sub))
    return {}
  }

  /** `GET /v1/auth/accounts`: the caller's accounts, oldest first, paginated (default 10). */
  list(scope: EnvScope, user: UserIdentity, query: Record<string, unknown>): Page<AccountView> {
    const { page, limit } = pageParams(query, 10)
    return pageOf(this.accounts.ofUser(scope.environment.id, user.userId).map(accountView), page, limit)
  }

  /** `DELETE /v1/auth/accounts/:provider`; `email` also removes the password. Never the last way to sign in. */
  async unlink(scope: EnvScope, user: UserIdentity, name: unknown): Promise<{ message: string }> {
    const provider = accountProvider(name)
    const envId = scope.environment.id
    const mine = this.accounts.ofUser(envId, user.userId)
    const account = mine.find((a) => a.provider === provider)
    if (!account) throw notFound('auth/account-not-found', `No ${provider} account is linked`)
    if (mine.length === 1) throw invalid('auth/last-auth-method', `The ${provider} account is your only way to sign in: link another one first`)
    const stored = this.auth.pool.get(envId, user.userId)
    if (provider === 'email' && stored?.passwordHash) {
      await this.auth.pool.save(envId, stored, { ...stored, passwordHash: null }, [{ c: U.accounts, d: account.id }])
    } else {
      await this.auth.pool.db(envId).delete(U.accounts, account.id)
    }
    return { message: 'Account unlinked' }
  }

  /** `POST /v1/auth/accounts/check`: whether an email credential or provider account is registered. */
  check(scope: EnvScope, body: Record<string, unknown>): { exists: false } | { exists: true; type: string; provider: string } {
    if (body.type !== 'credentials' && body.type !== 'oauth') throw invalid(CODE, 'type must be credentials or oauth')
    const provider = accountProvider(body.provider)
    if ((body.type === 'credentials') !== (provider === 'email')) throw invalid(CODE, 'credentials go with provider email, oauth with google or github')
    if (typeof body.providerAccountId !== 'string' || body.providerAccountId === '') throw invalid(CODE, 'providerAccountId is required')
    const id = provider === 'email' ? normalizeEmail(body.providerAccountId) : body.providerAccountId
    const found = id === null ? undefined : this.accounts.find(scope.environment.id, provider, id)
    return found ? { exists: true, type: found.type, provider: found.provider } : { exists: false }
  }
}
