import type { Organization } from '../contract/tenancy.js'
import type { Management } from './management.js'
import type { AuthMethod } from './mcp-connection.js'
import { readTokenClaims } from './token-claims.js'

/** Who the CLI acts as on a target: the auth method, the organization, and what the token allows. */
export interface Identity {
  authMethod: AuthMethod
  /** The tenant (account) id, when the token says so. */
  tenantId: string | null
  /** The tenant's e-mail, when the target's get_context names it. */
  email: string | null
  organization: Pick<Organization, 'id' | 'name' | 'slug' | 'role'> | null
  scopes: string[] | null
  /** When the current access token expires (refreshed automatically for OAuth logins). */
  expiresAt: string | null
}

/** Asks the server which organization the session is bound to and reads the token's claims. */
export async function identify(management: Management): Promise<Identity> {
  const connection = management.mcp
  const claims = readTokenClaims(connection.accessToken)
  const org = await management.currentOrganization()
  const briefing = await management.briefing()
  const email = briefing ? (/Tenant e-mail:\s*(\S+@\S+)/.exec(briefing)?.[1] ?? null) : null
  // The role get_context names is the session's own; a target without it leaves the one its org list gives.
  const role = (briefing ? /Organization role:\s*(owner|admin|member|billing)\b/.exec(briefing)?.[1] : undefined) as Organization['role'] | undefined
  const stored = connection.provider?.stored
  const scope = claims?.scope ?? stored?.tokens?.scope
  const expires = claims?.exp ? claims.exp * 1000 : stored?.expiresAt
  return {
    authMethod: connection.authMethod,
    tenantId: claims?.sub ?? null,
    email,
    organization: org ? { id: org.id, name: org.name, slug: org.slug, role: role ?? org.role } : null,
    scopes: scope ? scope.split(' ') : null,
    expiresAt: expires ? new Date(expires).toISOString() : null,
  }
}

/** How a person reads an auth method. */
export function describeAuth(method: AuthMethod): string {
  return { 'emulator-tenant-token': 'local tenant token (runtime.json)', 'access-token-env': 'BKEND_ACCESS_TOKEN', 'oauth-login': 'OAuth login (bkend login)' }[method]
}
