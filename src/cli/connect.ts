import { ClientError } from '../client/errors.js'
// note: the MCP client (the SDK bundle) loads when a command first connects, not with every command that can:
// `bkend dev` imports this module for --watch and seeding, and loading the SDK was a tenth of its start.
import type { McpAuth, McpConnection } from '../client/mcp-connection.js'
import { StoredOAuthProvider } from '../client/oauth-provider.js'
import { credentialStore } from './config.js'
import type { TargetContext } from './target.js'

/**
 * The MCP credentials for a target: a token given on the command line; for the local emulator, the profile's login
 * (`bkend login --target local`, a tenant of your choice) else its runtime.json tenant token (the first tenant);
 * elsewhere BKEND_ACCESS_TOKEN, else the stored OAuth login of the profile.
 */
export async function mcpAuth(context: TargetContext, explicitToken?: string): Promise<McpAuth> {
  if (explicitToken) return { method: 'access-token-env', token: explicitToken }
  if (context.kind === 'local') {
    const login = await StoredOAuthProvider.load({ store: credentialStore, profile: context.profile, mcpUrl: context.mcpUrl, target: context.target })
    return login.loggedIn ? { method: 'oauth-login', provider: login } : { method: 'emulator-tenant-token', token: context.runtime!.tenantToken }
  }
  const token = process.env.BKEND_ACCESS_TOKEN
  if (token) return { method: 'access-token-env', token }
  const provider = await StoredOAuthProvider.load({ store: credentialStore, profile: context.profile, mcpUrl: context.mcpUrl, target: context.target })
  if (!provider.loggedIn) throw new ClientError('auth/login-required', `not logged in to ${context.mcpUrl}`, 401, { target: context.target, auth: 'oauth-login' })
  return { method: 'oauth-login', provider }
}

/**
 * The bearer the CLI acts with on the local emulator's controls: the profile's `bkend login --target local`, its access
 * token refreshed now (it may have expired since the last command), else runtime.json's tenant token.
 */
export async function localTenantToken(context: TargetContext): Promise<string> {
  const credentials = await mcpAuth(context)
  if (credentials.method !== 'oauth-login') return credentials.token
  const { auth } = await import('../client/mcp-sdk.js')
  await auth(credentials.provider, { serverUrl: context.mcpUrl })
  const token = credentials.provider.tokens()?.access_token
  if (!token) throw new ClientError('auth/login-required', `the login to ${context.mcpUrl} holds no access token`, 401, { target: context.target, auth: 'oauth-login' })
  return token
}

/**
 * One MCP session with the target, project and environment of the context. The local emulator of this CLI's own
 * version registers every tool the CLI calls, so its sessions skip tools/list, unless it runs in cloud-parity mode
 * (which hides the extension tools); any other server is asked.
 */
export async function openMcp(context: TargetContext, version: string): Promise<McpConnection> {
  const everyTool = context.kind === 'local' && context.runtime?.cloudParity !== true
  const offersEveryTool = (server: { name: string; version: string }) => everyTool && server.name === 'bkend' && server.version === version
  const { McpConnection } = await import('../client/mcp-connection.js')
  return McpConnection.open(context, await mcpAuth(context), version, { offersEveryTool })
}
