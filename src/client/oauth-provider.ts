import { randomBytes } from 'node:crypto'
import type { CredentialStore, StoredLogin } from './credentials.js'
import { ClientError } from './errors.js'
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthClientProvider, OAuthDiscoveryState, OAuthTokens } from './mcp-sdk.js'

export interface StoredOAuthProviderOptions {
  store: CredentialStore
  profile: string
  mcpUrl: string
  /** The target as the user names it (`cloud` or a URL), carried in errors. */
  target: string
  /** The loopback callback of a running `bkend login`; other commands reuse the one stored with the login. */
  redirectUrl?: string
  /** Called when the SDK wants the user to authorize; absent outside `bkend login`, where that means "log in again". */
  onAuthorize?: (url: URL) => void | Promise<void>
}

/**
 * The SDK's OAuth client provider backed by a credential store: the SDK's `auth()` registers the client,
 * runs PKCE, exchanges the code and refreshes expired tokens; this class only remembers what it is handed, per
 * profile and MCP server.
 */
export class StoredOAuthProvider implements OAuthClientProvider {
  private login: StoredLogin
  private verifier = ''
  private expectedState: string | undefined

  private constructor(
    private readonly options: StoredOAuthProviderOptions,
    login: StoredLogin,
  ) {
    this.login = login
  }

  /** Loads what is stored for the profile and server. */
  static async load(options: StoredOAuthProviderOptions): Promise<StoredOAuthProvider> {
    return new StoredOAuthProvider(options, (await options.store.loadLogin(options.profile, options.mcpUrl)) ?? {})
  }

  /** Whether a login (tokens) is stored for this profile and server. */
  get loggedIn(): boolean {
    return this.login.tokens !== undefined
  }

  get stored(): StoredLogin {
    return this.login
  }

  get redirectUrl(): string | undefined {
    return this.options.redirectUrl ?? this.login.redirectUrl
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'bkend CLI',
      redirect_uris: this.redirectUrl ? [this.redirectUrl] : [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('hex')
    return this.expectedState
  }

  /** The state sent with the last authorization request, to check the callback against. */
  get sentState(): string | undefined {
    return this.expectedState
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.login.clientInformation
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    await this.save({ clientInformation: info, redirectUrl: this.redirectUrl })
  }

  tokens(): OAuthTokens | undefined {
    return this.login.tokens
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const expiresAt = tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : undefined
    await this.save({ tokens, expiresAt, savedAt: new Date().toISOString() })
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (!this.options.onAuthorize) {
      // Refreshing failed (or nothing was stored): only an interactive login can get new tokens.
      throw new ClientError('auth/login-required', `not logged in to ${this.options.mcpUrl} (or the login expired)`, 401, { target: this.options.target, auth: 'oauth-login' })
    }
    await this.options.onAuthorize(url)
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier
  }

  codeVerifier(): string {
    return this.verifier
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.login.discovery
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    await this.save({ discovery: state })
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') {
      this.verifier = ''
      return
    }
    const cleared: StoredLogin = { ...this.login }
    if (scope === 'all' || scope === 'client') delete cleared.clientInformation
    if (scope === 'all' || scope === 'tokens') {
      delete cleared.tokens
      delete cleared.expiresAt
    }
    if (scope === 'all' || scope === 'discovery') delete cleared.discovery
    this.login = cleared
    await this.persist()
  }

  /** Forgets everything stored for this profile and server. */
  async forget(): Promise<void> {
    this.login = {}
    await this.options.store.saveLogin(this.options.profile, this.options.mcpUrl, undefined)
  }

  private async save(change: Partial<StoredLogin>): Promise<void> {
    this.login = { ...this.login, ...change }
    await this.persist()
  }

  private async persist(): Promise<void> {
    await this.options.store.saveLogin(this.options.profile, this.options.mcpUrl, this.login)
  }
}
