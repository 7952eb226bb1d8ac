import { SOCIAL_PROVIDERS, type AuthConfig, type ProviderSettings, type SocialProvider } from '../contract/auth-settings.js'
import { settingValues } from './auth-settings.js'
import { printFields, printTable, type Column } from './output.js'

/** Human renderings of the auth settings commands (only called when --json is off). */

/** One row per provider, configured or not; the client secret is never shown, only whether one is stored. */
interface ProviderRow {
  provider: SocialProvider
  status: 'enabled' | 'disabled' | 'not configured'
  clientId: string | null
  clientSecret: 'set' | 'not set' | null
  scopes: string | null
  redirectUri: string | null
}

function providerRow(provider: SocialProvider, settings: ProviderSettings | null): ProviderRow {
  if (!settings) return { provider, status: 'not configured', clientId: null, clientSecret: null, scopes: null, redirectUri: null }
  return {
    provider,
    status: settings.enabled ? 'enabled' : 'disabled',
    clientId: settings.clientId,
    clientSecret: settings.hasClientSecret ? 'set' : 'not set',
    scopes: settings.scopes.join(' '),
    redirectUri: settings.redirectUri,
  }
}

/** Providers as a table; `null` settings show as not configured. */
export function printProviders(providers: Array<[SocialProvider, ProviderSettings | null]>, wanted?: string): Promise<void> {
  const rows = providers.map(([provider, settings]) => providerRow(provider, settings))
  return printTable(
    [{ key: 'provider', header: 'Provider', identity: true }, { key: 'status', header: 'Status' }, { key: 'clientId', header: 'Client id' }, { key: 'clientSecret', header: 'Secret' }, { key: 'scopes', header: 'Scopes' }, { key: 'redirectUri', header: 'Redirect URI' }] satisfies Column[],
    rows as unknown as Array<Record<string, unknown>>,
    wanted,
  )
}

/** The settings under the keys `auth config set` takes, then a line per provider. */
export function printAuthConfig(config: AuthConfig): void {
  printFields([
    ...settingValues(config).map(([key, value]): [string, unknown] => [key, value ?? 'none']),
    ...SOCIAL_PROVIDERS.map((provider): [string, unknown] => [provider, providerRow(provider, config.oauth[provider]).status]),
  ])
}
