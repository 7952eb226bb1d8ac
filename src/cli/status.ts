import { identify, type Identity } from '../client/identity.js'
import { Management } from '../client/management.js'
import type { McpConnection } from '../client/mcp-connection.js'
import { showError } from './base-command.js'
import { openMcp } from './connect.js'
import { CliError } from './errors.js'
import { resolveTargetContext, resolveTargetPlan, type TargetContext, type TargetFlagValues, type TargetPlan } from './target.js'

/** Everything `bkend status` knows; fields the target could not answer are null and `problem` says why. */
export interface StatusResult {
  target: string
  kind: TargetContext['kind']
  profile: string
  /** Null when no local emulator runs (then `problem` says so). */
  restUrl: string | null
  mcpUrl: string | null
  /** The local emulator's data dir (its source is in `sources.dataDir`); null for other targets. */
  dataDir: string | null
  linkPath: string | null
  sources: TargetContext['sources']
  organization: { id: string; name: string; slug: string } | null
  project: { id: string; slug: string | null; name: string | null } | null
  environment: { name: string; id: string | null }
  /** The local emulator's seeded key (runtime.json); null elsewhere, since key lists never carry values (MCP-D11). */
  publishableKey: string | null
  identity: Identity | null
  problem: { code: string; message: string; hint: string | null } | null
}

/**
 * The status for the flags: as much as the target answers. A local emulator that is not running, a missing login
 * or an unknown project is reported in `problem`, never thrown.
 */
export async function statusFor(flags: TargetFlagValues, version: string): Promise<StatusResult> {
  let context: TargetContext
  try {
    context = await resolveTargetContext(flags)
  } catch (error) {
    if (!(error instanceof CliError) || (error.code !== 'target/no-emulator' && error.code !== 'target/wait-timeout')) throw error
    return { ...baseStatus(await resolveTargetPlan(flags)), problem: problemOf(error) }
  }
  return gatherStatus(context, version)
}

function baseStatus(context: TargetPlan & { runtime?: TargetContext['runtime'] }): StatusResult {
  return {
    target: context.target,
    kind: context.kind,
    profile: context.profile,
    restUrl: context.restUrl ?? null,
    mcpUrl: context.mcpUrl ?? null,
    dataDir: context.dataDir ?? null,
    linkPath: context.linkPath ?? null,
    sources: context.sources,
    organization: null,
    project: context.project ? { id: context.project, slug: null, name: null } : null,
    environment: { name: context.env, id: null },
    publishableKey: context.runtime?.environments.find((e) => e.name === context.env && context.project === context.runtime?.projectId)?.publishableKey ?? null,
    identity: null,
    problem: null,
  }
}

function problemOf(error: unknown): NonNullable<StatusResult['problem']> {
  const { code, message, hint } = showError(error as Error).shown
  return { code, message, hint }
}

async function gatherStatus(context: TargetContext, version: string): Promise<StatusResult> {
  const status = baseStatus(context)
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
    }
  } catch (error) {
    status.problem = problemOf(error)
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
