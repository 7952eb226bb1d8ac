import { DEFAULT_PROVIDER_SCOPES, type AuthConfig, type AuthConfigUpdate, type ProviderSettings, type ProviderUpsert, type SocialProvider } from '../contract/auth-settings.js'
import { notFound } from './errors.js'
import type { Management } from './management.js'

/** What `auth providers set/enable/disable` change; everything left out keeps its current value. */
export type ProviderChanges = Partial<ProviderUpsert>

/**
 * A project's authentication settings through the management (MCP) tools of mcp.md §8. Those tools are extensions:
 * a target without them gets a clear "cannot" instead of an unknown-tool error.
 */
export class AuthSettings {
  constructor(private readonly management: Management) {}

  async get(): Promise<AuthConfig> {
    await this.management.mcp.require('backend_auth_config_get', 'read authentication settings')
    const project = await this.management.getProject()
    return this.management.mcp.call('backend_auth_config_get', { projectId: project.id })
  }

  async update(body: AuthConfigUpdate): Promise<AuthConfig> {
    await this.management.mcp.require('backend_auth_config_update', 'change authentication settings')
    const project = await this.management.getProject()
    return this.management.mcp.call('backend_auth_config_update', { projectId: project.id, body })
  }

  /**
   * Changes a provider, keeping what is not given: the tool replaces the whole configuration, so the current one
   * fills the gaps (the stored secret stays unless a new one is given, since tenants never read it back).
   */
  async setProvider(provider: SocialProvider, changes: ProviderChanges): Promise<ProviderSettings> {
    await this.management.mcp.require('backend_auth_provider_upsert', 'configure sign-in providers')
    const config = await this.get()
    const current = config.oauth[provider]
    const clientId = changes.clientId ?? current?.clientId
    if (!clientId) throw notFound('auth/provider-not-configured', `${provider} sign-in is not configured for this project`, { resource: 'provider', ref: provider })
    const body: ProviderUpsert = {
      clientId,
      ...(changes.clientSecret !== undefined ? { clientSecret: changes.clientSecret } : {}),
      redirectUri: changes.redirectUri ?? current?.redirectUri ?? `${this.management.mcp.context.restUrl}/v1/auth/${provider}/callback`,
      scopes: changes.scopes ?? current?.scopes ?? [...DEFAULT_PROVIDER_SCOPES[provider]],
      enabled: changes.enabled ?? current?.enabled ?? true,
    }
    return this.management.mcp.call('backend_auth_provider_upsert', { projectId: config.projectId, provider, body })
  }

  /** Removes a provider's configuration (client id, secret, scopes); sign-in with it then fails until it is set again. */
  async deleteProvider(provider: SocialProvider): Promise<AuthConfig> {
    await this.management.mcp.require('backend_auth_provider_delete', 'delete sign-in provider configurations')
    const config = await this.get()
    if (!config.oauth[provider]) throw notFound('auth/provider-not-configured', `${provider} sign-in is not configured for this project`, { resource: 'provider', ref: provider })
    return this.management.mcp.call('backend_auth_provider_delete', { projectId: config.projectId, provider })
  }
}
