import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { DomainError, conflict, invalid, unauthorized } from '../errors.js'
import { banned } from './user-access.js'
import { redirectWith } from '../oauth/authorization.js'
import type { OneTimeTokens } from '../one-time-tokens.js'
import type { ProviderConfig, SocialProvider } from '../project-settings/auth-config.js'
import type { Environments } from '../tenancy/environments.js'
import type { Projects } from '../tenancy/projects.js'
import type { AuthService, ClientMeta, EnvScope } from './auth-service.js'
import { isSocialProvider, type FakeIdp, type Identity } from './fake-idp.js'
import { fullView, type NewUserTokenResponse } from './model.js'

/** What a client presents after the provider: a code of the fake IdP, or one of its tokens. */
export interface ProviderProof {
  code?: unknown
  idToken?: unknown
  accessToken?: unknown
  redirectUri?: unknown
}

/** The per-project provider settings social sign-in consults (console-model.md §7). */
export interface ProviderSettings {
  provider(projectId: string, provider: SocialProvider): ProviderConfig | null
}

/** What a Flow B server state remembers. */
interface StateData {
  [key: string]: unknown
  environmentId: string
  provider: SocialProvider
  redirect: string
}

const STATE_PURPOSE = 'social_state'
const STATE_LIFETIME_SECONDS = 600
const CODE = 'auth/invalid-request'
const unsupported = (name: unknown) => invalid('auth/unsupported-provider', `Unsupported provider ${JSON.stringify(name)}: use google or github`)
const badCode = () => unauthorized('auth/invalid-oauth-code', 'The authorization code or provider token is unknown, used, expired, or was issued for another provider or redirect URI')

/**
 * Google/GitHub sign-in through the fake identity provider (rest-auth.md §3.4): Flow A (the app posts the
 * provider's code or token) and Flow B (the server builds the URL and completes the redirect).
 */
export class SocialAuth {
  constructor(
    private readonly auth: AuthService,
    private readonly idp: FakeIdp,
    private readonly settings: () => ProviderSettings,
    private readonly control: Database,
    private readonly oneTimeTokens: OneTimeTokens,
    private readonly envs: Environments,
    private readonly projects: Projects,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {}

  /** The provider named in a path, enabled for the project (else `unsupported-provider` / `oauth-not-configured`). */
  enabledProvider(scope: EnvScope, name: unknown): { provider: SocialProvider; config: ProviderConfig } {
    if (!isSocialProvider(name)) throw unsupported(name)
    const config = this.settings().provider(scope.project.id, name)
    if (!config?.enabled) throw invalid('auth/oauth-not-configured', `The ${name} provider is not enabled for this project`)
    return { provider: name, config }
  }

  /** The identity behind a code (consumed), an ID token (Google) or an access token of the fake provider. */
  async identity(provider: SocialProvider, proof: ProviderProof): Promise<Identity> {
    const present = (v: unknown) => v !== undefined && v !== null
    if (!present(proof.code) && !present(proof.idToken) && !present(proof.accessToken)) throw invalid(CODE, 'Send code, idToken or accessToken from the provider')
    for (const field of ['code', 'idToken', 'accessToken', 'redirectUri'] as const) {
      if (present(proof[field]) && typeof proof[field] !== 'string') throw invalid(CODE, `${field} must be a string`)
    }
    let identity: Identity | null
    if (present(proof.code)) identity = (await this.idp.redeem(provider, proof.code, (proof.redirectUri as string | undefined) ?? undefined))?.identity ?? null
    else if (present(proof.idToken)) identity = await this.idp.verify(provider, proof.idToken, 'id')
    else identity = await this.idp.verify(provider, proof.accessToken, 'access')
    if (!identity) throw badCode()
    return identity
  }

  /** Flow A: `POST /v1/auth/:provider/callback` (and its GET with an API key). */
  async signIn(scope: EnvScope, name: unknown, proof: ProviderProof, meta: ClientMeta): Promise<NewUserTokenResponse> {
    const { provider } = this.enabledProvider(scope, name)
    return this.complete(scope, provider, await this.identity(provider, proof), meta)
  }

  /** Linked account → sign in; same email another way → 409; else a new user with that provider account. */
  private async complete(scope: EnvScope, provider: SocialProvider, identity: Identity, meta: ClientMeta): Promise<NewUserTokenResponse> {
    const envId = scope.environment.id
    const linked = this.auth.accounts.find(envId, provider, identity.sub)
    let user = linked && this.auth.pool.get(envId, linked.userId)
    const isNewUser = !user
    if (!user) {
      if (this.auth.pool.byEmailAddress(envId, identity.email)) {
        throw conflict('auth/account-exists-different-provider', `${identity.email} is already registered with another sign-in method: sign in that way and link ${provider} through POST /v1/auth/accounts`)
      }
      user = await this.auth.createUser(scope, {
        email: identity.email,
        name: identity.name,
        image: identity.image,
        emailVerified: identity.emailVerified ? this.clock.iso() : null,
        oauth: { provider, providerAccountId: identity.sub },
      })
    }
    if (user.banned) throw banned()
    const tokens = await this.auth.startSession(scope, user, meta)
    return { ...tokens, user: fullView(user), is_new_user: isNewUser, isNewUser }
  }

  /** Flow B, step 1: the fake provider URL with a server state remembering the environment and the app redirect. */
  async authorize(scope: EnvScope, name: unknown, redirect: unknown): Promise<{ authorizationUrl: string }> {
    const { provider, config } = this.enabledProvider(scope, name)
    if (typeof redirect !== 'string' || !/^https?:\/\/\S+$/.test(redirect)) throw invalid(CODE, 'redirect must be the absolute http(s) URL of your app callback')
    const data: StateData = { environmentId: scope.environment.id, provider, redirect }
    const { token: state } = await this.oneTimeTokens.issue(this.control, { purpose: STATE_PURPOSE, ttlSeconds: STATE_LIFETIME_SECONDS, data, bytes: 12 })
    const authorizationUrl = redirectWith(`${this.origin()}/_emulator/oauth/${provider}/authorize`, {
      client_id: config.clientId,
      redirect_uri: this.callbackUri(provider),
      response_type: 'code',
      scope: config.scopes.join(' '),
      state,
    })
    return { authorizationUrl }
  }

  /**
   * Flow B, step 2: the browser returns from the provider to `GET /v1/auth/:provider/callback?code&state`. Answers
   * where to send it: the app redirect with tokens or with `error`/`errorMessage`. A state that is unknown, used,
   * expired or of another provider has no redirect to go back to: that is an error of this request.
   */
  async completeRedirect(name: string, query: { code?: string; state?: string; error?: string }, meta: ClientMeta): Promise<string> {
    if (!isSocialProvider(name)) throw unsupported(name)
    const refused = () => unauthorized('auth/invalid-oauth-code', 'The state is unknown, used or expired: start again from GET /v1/auth/:provider/authorize')
    const doc = (await this.oneTimeTokens.consume(this.control, STATE_PURPOSE, query.state, { fail: refused })).data as StateData
    if (doc.provider !== name) throw refused()
    try {
      const environment = this.envs.doc(doc.environmentId)
      const project = environment && this.projects.doc(environment.projectId)
      if (!environment || !project) throw badCode()
      const scope = { environment, project }
      if (query.error) throw unauthorized('auth/invalid-oauth-code', `The sign-in was not completed at ${doc.provider} (${query.error})`)
      const { provider } = this.enabledProvider(scope, doc.provider)
      const identity = await this.identity(provider, { code: query.code ?? null, redirectUri: this.callbackUri(provider) })
      const tokens = await this.complete(scope, provider, identity, meta)
      return redirectWith(doc.redirect, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: String(tokens.expiresIn), isNewUser: String(tokens.isNewUser) })
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return redirectWith(doc.redirect, { error: error.code, errorMessage: error.message })
    }
  }

  private callbackUri(provider: SocialProvider): string {
    return `${this.origin()}/v1/auth/${provider}/callback`
  }
}
