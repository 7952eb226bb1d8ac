import { identify, type Identity } from '../client/identity.js'
import { Management } from '../client/management.js'
import type { McpConnection } from '../client/mcp-connection.js'
import { showError } from './base-command.js'
import { openMcp } from './connect.js'
import type { TargetContext } from './target.js'

/** Everything `bkend status` knows; fields the target could not answer are null and `problem` says why. */
export interface StatusResult {
  target: string
  kind: TargetContext['kind']
  profile: string
  restUrl: string
  mcpUrl: string
  linkPath: string | null
  sources: TargetContext['sources']
  organization: { id: string; name: string; slug: string } | null
  project: { id: string; slug: string | null; name: string | null } | null
  environment: { name: string; id: string | null }
  publishableKey: string | null
  identity: Identity | null
  problem: { code: string; message: string; hint: string | null } | null
}

/** Resolves as much as the target answers; a missing login or unknown project is reported, never thrown. */
export async function gatherStatus(context: TargetContext, version: string): Promise<StatusResult> {
  const status: StatusResult = {
    target: context.target,
    kind: context.kind,
    profile: context.profile,
    restUrl: context.restUrl,
    mcpUrl: context.mcpUrl,
    linkPath: context.linkPath ?? null,
    sources: context.sources,
    organization: null,
    project: context.project ? { id: context.project, slug: null, name: null } : null,
    environment: { name: context.env, id: null },
    publishableKey: context.runtime?.environments.find((e) => e.name === context.env && context.project === context.runtime?.projectId)?.publishableKey ?? null,
    identity: null,
    problem: null,
  }
  let connection: McpConnection | undefined
  try {
    connection = await openMcp(context, version)
    const management = new Management(connection)
    status.identity = await identify(management)
    const org = status.identity.organization
    if (org) status.organization = { id: org.id, name: org.name, slug: org.slug }
    if (context.project) {
      const project = await management.getProject()
      status.project = { id: project.id, slug: project.slug, name: project.name }
      const env = await management.getEnv()
      status.environment.id = env.id
      status.publishableKey ??= (await management.listKeys()).find((k) => k.type === 'publishable' && k.status === 'active' && k.key)?.key ?? null
    }
  } catch (error) {
    const { code, message, hint } = showError(error as Error).shown
    status.problem = { code, message, hint }
  } finally {
    await connection?.close()
  }
  return status
}

/** `KEY=value` lines an app or CI job can source; only values that are known, never a secret key. */
export function formatEnvLines(status: StatusResult): string {
  const lines: Array<[string, string | null | undefined]> = [
    ['BKEND_TARGET', status.target],
    ['BKEND_API_URL', status.restUrl],
    ['BKEND_MCP_URL', status.mcpUrl],
    ['BKEND_ORGANIZATION', status.organization?.id],
    ['BKEND_PROJECT', status.project?.id],
    ['BKEND_ENV', status.environment.name],
    ['BKEND_PUBLISHABLE_KEY', status.publishableKey],
  ]
  return lines.filter(([, v]) => v).map(([k, v]) => `${k}=${shellQuote(v!)}`).join('\n') + '\n'
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_.:/@+-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
