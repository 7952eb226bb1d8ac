import type { SeededEnvironment } from '../../contract/emulator.js'
import type { Core } from './core.js'
import { C, type Actor, type ProjectDoc } from './tenancy/model.js'
import type { ApiKeyDoc } from './keys/api-keys.js'
import { TenantTokens } from './tenant-tokens.js'

const TENANT_EMAIL = 'developer@localhost'
const TENANT_NAME = 'Local Developer'
const LOCAL = 'local'
const TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600
export const CLI_CLIENT_ID = 'bkend-cli'

/** Credentials from the previous run (the runtime file), reused when still valid. */
export interface PreviousCredentials {
  secretKey?: string
  tenantToken?: string
}

export interface Seed {
  tenantId: string
  organizationId: string
  projectId: string
  environment: SeededEnvironment
  tenantToken: string
}

/**
 * The zero-configuration loop (console-model.md §10): the local tenant, organization `local`, project `local`,
 * environment `dev`, a publishable and a secret key, and a tenant token. Later starts reuse what exists.
 */
export async function ensureSeed(core: Core, previous: PreviousCredentials = {}): Promise<Seed> {
  const tenant = core.orgs.firstTenant() ?? (await core.orgs.createTenant(TENANT_EMAIL, TENANT_NAME))
  const org = core.orgs.list(tenant.id).find((o) => o.slug === LOCAL) ?? (await core.orgs.create(tenant.id, { name: 'Local', slug: LOCAL }))
  const actor: Actor = { tenantId: tenant.id, organizationId: org.id }
  const project =
    core.projects.list(actor).find((p) => p.slug === LOCAL) ??
    (await core.projects.create(actor, { organizationId: org.id, slug: LOCAL, name: 'Local', primaryCloud: 'aws', primaryRegion: 'local' }))
  const projectDoc = core.projects.doc(project.id) as ProjectDoc
  const env = core.envs.byName(project.id, 'dev') ?? (await core.envs.create(actor, { environment: 'dev', environmentType: 'dev' }, projectDoc))

  const usable = (key: ApiKeyDoc | undefined) => key !== undefined && key.environmentId === env.id && core.keys.status(key) === 'active'
  const keyDocs = [...core.store.control.collection<ApiKeyDoc>(C.apiKeys).values()]
  const publishable = keyDocs.find((k) => k.name === 'default-publishable' && k.plaintext && usable(k))?.plaintext
  const publishableKey = publishable ?? (await core.keys.issue(tenant.id, env, { projectId: project.id, environment: 'dev', type: 'publishable', name: 'default-publishable' })).key
  const previousSecret = previous.secretKey ? core.keys.find(previous.secretKey) : undefined
  const secretKey =
    previous.secretKey && usable(previousSecret)
      ? previous.secretKey
      : (await core.keys.issue(tenant.id, env, { projectId: project.id, environment: 'dev', type: 'secret', name: 'default-secret' })).key

  let tenantToken = previous.tenantToken
  const valid = tenantToken ? await core.tenantTokens.verify(tenantToken).then((p) => p.organizationId === org.id, () => false) : false
  if (!valid) {
    tenantToken = (await core.tenantTokens.mint({ tenantId: tenant.id, organizationId: org.id, scopes: TenantTokens.allScopes(), clientId: CLI_CLIENT_ID, lifetimeSeconds: TOKEN_LIFETIME_SECONDS })).token
  }
  return {
    tenantId: tenant.id,
    organizationId: org.id,
    projectId: project.id,
    environment: { id: env.id, name: env.environment, publishableKey, secretKey },
    tenantToken: tenantToken as string,
  }
}
