import { Flags } from '@oclif/core'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { DEFAULT_DATA_DIR, RUNTIME_FILE, type RuntimeFile } from '../contract/emulator.js'
import { CLOUD_DEFAULTS, loadConfig, loadCredentials, type Profile } from './config.js'
import { CliError } from './errors.js'
import { findLinkedProject, type FoundLink } from './linked-project.js'

/**
 * Global flags every target-aware command takes. Precedence everywhere: flags > BKEND_* environment variables >
 * the directory's linked project (bkend.json) > the user config's profile.
 */
export const targetFlags = {
  target: Flags.string({ description: 'where to act: local (the running bkend dev), cloud, or a URL', env: 'BKEND_TARGET', helpGroup: 'TARGET' }),
  'data-dir': Flags.string({ description: 'data directory of the local emulator (to find its runtime.json)', env: 'BKEND_DATA_DIR', helpGroup: 'TARGET' }),
  project: Flags.string({ description: 'project id or slug', env: 'BKEND_PROJECT', helpGroup: 'TARGET' }),
  env: Flags.string({ description: 'environment name (dev, staging, prod, …)', env: 'BKEND_ENV', helpGroup: 'TARGET' }),
  profile: Flags.string({ description: 'named profile from the user config', env: 'BKEND_PROFILE', helpGroup: 'TARGET' }),
}

export const runtimeFlags = {
  ...targetFlags,
  'secret-key': Flags.string({ description: 'secret API key (sk_…) of the environment, for runtime commands', env: 'BKEND_SECRET_KEY', helpGroup: 'TARGET' }),
}

export type TargetFlagValues = { target?: string; 'data-dir'?: string; project?: string; env?: string; profile?: string }
export type RuntimeFlagValues = TargetFlagValues & { 'secret-key'?: string }

/** What runtime commands (users, data, files) need: the REST origin and an environment's secret key. */
export interface RuntimeTarget {
  /** Origin of the REST API; requests go to `${restUrl}/v1/...`. */
  restUrl: string
  secretKey: string
  /** Environment name, for messages. */
  environment: string
  /** Where the key came from, for messages (never the key itself). */
  source: 'flag' | 'env' | 'local' | 'credentials'
}

// The emulator seeds its project with this slug (console-model.md §10); runtime.json only carries the id.
const SEEDED_PROJECT_SLUG = 'local'

/** Where a resolved value came from, so `bkend status` can explain it. */
export type ValueSource = 'flag' | 'env' | 'link' | 'profile' | 'emulator' | 'default'

/** The target, project and environment a command acts on, after applying the precedence rules. */
export interface TargetContext {
  kind: 'local' | 'cloud' | 'url'
  /** `local`, `cloud`, or the URL as given. */
  target: string
  mcpUrl: string
  restUrl: string
  profile: string
  /** Project id or slug; for local defaults to the emulator's seeded project. */
  project?: string
  /** Environment name; defaults to `dev`. */
  env: string
  organizationId?: string
  sources: { target: ValueSource; project?: ValueSource; env: ValueSource }
  /** Local target only: the emulator's runtime file and the directory it was read from. */
  runtime?: RuntimeFile
  dataDir?: string
  /** The bkend.json that applied, if any. */
  linkPath?: string
}

/** Reads the running emulator's runtime file, or explains how to start one. */
export async function readRuntimeFile(dataDir: string | undefined): Promise<RuntimeFile> {
  const dir = resolve(dataDir ?? DEFAULT_DATA_DIR)
  try {
    return JSON.parse(await readFile(join(dir, RUNTIME_FILE), 'utf8')) as RuntimeFile
  } catch {
    throw new CliError(`no running bkend dev found in ${dir}`, `start one with 'bkend dev' in this directory, or pass --data-dir <dir>, or --target <url> with --secret-key`, 1, 'target/no-emulator')
  }
}

/** Resolves target, project and environment: flags > BKEND_* env vars > bkend.json > profile > defaults. */
export async function resolveTargetContext(flags: TargetFlagValues): Promise<TargetContext> {
  const config = await loadConfig()
  const profileName = flags.profile ?? config.defaultProfile ?? 'default'
  const profile: Profile | undefined = config.profiles?.[profileName]
  if (!profile && flags.profile) {
    const known = Object.keys(config.profiles ?? {})
    throw new CliError(`no profile "${flags.profile}" in the user config`, known.length ? `known profiles: ${known.join(', ')}` : 'add it under "profiles" in ~/.config/bkend/config.json', 2, 'config/unknown-profile')
  }
  const found = await findLinkedProject()
  const targetSource: ValueSource = flags.target ? sourceOf('BKEND_TARGET', flags.target) : found?.link.target ? 'link' : profile?.target ? 'profile' : 'default'
  const target = flags.target ?? found?.link.target ?? profile?.target ?? 'local'
  // A link made against one target says nothing about another one's projects.
  const link = found && (found.link.target === undefined || sameTarget(found.link.target, target)) ? found : undefined

  const pick = (flag: string | undefined, envName: string, linked: string | undefined, profiled: string | undefined) =>
    flag !== undefined ? { value: flag, source: sourceOf(envName, flag) } : linked !== undefined ? { value: linked, source: 'link' as const } : profiled !== undefined ? { value: profiled, source: 'profile' as const } : undefined
  const project = pick(flags.project, 'BKEND_PROJECT', link?.link.projectId, profile?.project)
  const env = pick(flags.env, 'BKEND_ENV', link?.link.environment, profile?.env) ?? { value: 'dev', source: 'default' as const }
  const base = { target, profile: profileName, env: env.value, linkPath: link?.path, organizationId: link?.link.organizationId }

  if (target === 'local') {
    const dataDir = localDataDir(flags['data-dir'] ?? profile?.dataDir, found)
    const runtime = await readRuntimeFile(dataDir)
    return {
      ...base,
      kind: 'local',
      mcpUrl: runtime.mcpUrl,
      restUrl: runtime.url,
      project: project?.value ?? runtime.projectId,
      organizationId: base.organizationId ?? runtime.organizationId,
      sources: { target: targetSource, project: project?.source ?? 'emulator', env: env.source },
      runtime,
      dataDir,
    }
  }
  const sources = { target: targetSource, project: project?.source, env: env.source }
  if (target === 'cloud') {
    const restUrl = process.env.BKEND_CLOUD_API_URL ?? config.cloud?.apiUrl ?? CLOUD_DEFAULTS.apiUrl
    const mcpUrl = process.env.BKEND_CLOUD_MCP_URL ?? config.cloud?.mcpUrl ?? CLOUD_DEFAULTS.mcpUrl
    return { ...base, kind: 'cloud', restUrl: trimSlash(restUrl), mcpUrl, project: project?.value, sources }
  }
  const { restUrl, mcpUrl } = urlTarget(target)
  return { ...base, kind: 'url', restUrl, mcpUrl, project: project?.value, sources }
}

/**
 * Resolves the REST origin and secret key for runtime commands, with the same precedence as every command.
 * Local target: the emulator's runtime file (its seeded keys unless --secret-key or BKEND_SECRET_KEY is given).
 * Otherwise (other targets, other local environments): a key saved with `bkend keys create --type secret --save`.
 */
export async function resolveRuntimeTarget(flags: RuntimeFlagValues): Promise<RuntimeTarget> {
  const context = await resolveTargetContext(flags)
  const explicitKey = flags['secret-key']
  const environment = context.env
  if (explicitKey) return { restUrl: context.restUrl, secretKey: explicitKey, environment, source: sourceOf('BKEND_SECRET_KEY', explicitKey) === 'env' ? 'env' : 'flag' }

  if (context.kind === 'local') {
    const runtime = context.runtime as RuntimeFile
    const seeded = runtime.environments.find((e) => e.name === environment)
    const seededProject = context.project === runtime.projectId || context.project === SEEDED_PROJECT_SLUG
    if (seededProject && seeded) return { restUrl: runtime.url, secretKey: seeded.secretKey, environment, source: 'local' }
  }
  // Keys saved with `bkend keys create --type secret --save`, for any target (the emulator's other environments too).
  const stored = (await loadCredentials()).secretKeys.find(
    (k) => k.restUrl === context.restUrl && k.environment === environment && (context.project === undefined || k.projectId === context.project || k.projectSlug === context.project),
  )
  if (!stored) {
    const where = context.kind === 'local' ? `the local emulator's project ${context.project}` : context.restUrl
    throw new CliError(`no secret key for ${where} (environment "${environment}")`, `pass --secret-key sk_… or set BKEND_SECRET_KEY (or create and save one: 'bkend keys create <name> --env ${environment} --type secret --save')`, 1, 'target/no-key')
  }
  return { restUrl: context.restUrl, secretKey: stored.secretKey, environment, source: 'credentials' }
}

/** `http://host:port[/path]` → REST origin plus the MCP endpoint (`/mcp` unless the URL already names a path). */
export function urlTarget(target: string): { restUrl: string; mcpUrl: string } {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw new CliError(`unknown target "${target}"`, 'use --target local, cloud, or an http(s) URL', 2, 'target/unknown')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`unknown target "${target}"`, 'use --target local, cloud, or an http(s) URL', 2, 'target/unknown')
  const path = url.pathname.replace(/\/+$/, '')
  return { restUrl: url.origin, mcpUrl: `${url.origin}${path === '' ? '/mcp' : path}` }
}

/** oclif merges BKEND_* into the flag value; equal to the variable means it came from there. */
function sourceOf(envName: string, value: string): 'flag' | 'env' {
  return process.env[envName] !== undefined && process.env[envName] === value ? 'env' : 'flag'
}

function sameTarget(a: string, b: string): boolean {
  return trimSlash(a) === trimSlash(b)
}

/** The data dir: flag or profile, else `.bkend` beside the nearest bkend.json (the project root), else `./.bkend`. */
function localDataDir(given: string | undefined, link: FoundLink | undefined): string {
  if (given) return resolve(given)
  return link ? join(dirname(link.path), DEFAULT_DATA_DIR) : resolve(DEFAULT_DATA_DIR)
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
