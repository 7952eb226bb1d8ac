import { Flags } from '@oclif/core'
import type { RuntimeFile } from '../contract/emulator.js'
import { CLOUD_DEFAULTS, loadConfig, loadCredentials, type Profile } from './config.js'
import { chooseDataDir, DEFAULT_WAIT_SECONDS, readRuntimeFile, waitForEmulator, type DataDirChoice, type DataDirSource } from './data-dir.js'
import { CliError } from './errors.js'
import { findLinkedProject } from './linked-project.js'
import { checkLocalKey, noteUncheckedKey } from './key-check.js'

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
  wait: Flags.integer({ description: `wait up to this many seconds for a starting bkend dev (--wait alone: ${DEFAULT_WAIT_SECONDS})`, env: 'BKEND_WAIT', min: 0, helpGroup: 'TARGET' }),
}

export const runtimeFlags = {
  ...targetFlags,
  'secret-key': Flags.string({ description: 'secret API key (sk_…) of the environment, for runtime commands', env: 'BKEND_SECRET_KEY', helpGroup: 'TARGET' }),
}

export type TargetFlagValues = { target?: string; 'data-dir'?: string; project?: string; env?: string; profile?: string; wait?: number }

/**
 * oclif flags always take a value, so a bare `--wait` (last, or before another flag) becomes `--wait=<default>`
 * before parsing; `--wait 10` and `--wait=10` stay as they are.
 */
export function expandBareWait(argv: string[]): string[] {
  const end = argv.indexOf('--')
  return argv.map((arg, i) => (arg === '--wait' && (end === -1 || i < end) && !/^\d+$/.test(argv[i + 1] ?? '') ? `--wait=${DEFAULT_WAIT_SECONDS}` : arg))
}
export type RuntimeFlagValues = TargetFlagValues & { 'secret-key'?: string }

/** What runtime commands (users, data, files) need: the REST origin and an environment's secret key. */
export interface RuntimeTarget {
  /** Origin of the REST API; requests go to `${restUrl}/v1/...`. */
  restUrl: string
  secretKey: string
  /**
   * The environment requests act on: for the local target the key's own (checked with the emulator); elsewhere the
   * one named, which only the key really decides (`checked` false for a key given explicitly).
   */
  environment: string
  checked: boolean
  /** Where the key came from, for messages (never the key itself). */
  source: KeySource
  /** The local emulator (its extensions apply), the cloud, or a URL. */
  kind: TargetContext['kind']
}

export type KeySource = 'flag' | 'env' | 'local' | 'credentials'

// The emulator seeds its project with this slug (console-model.md §10); runtime.json only carries the id.
const SEEDED_PROJECT_SLUG = 'local'

/**
 * Whether records may travel through the emulator's bulk insert (an extension the hosted service lacks): only a
 * local target has it, and one in cloud-parity mode hides it, which `tableBulkInserter` learns on its first request.
 */
export function offersBulkInsert(target: RuntimeTarget): boolean {
  return target.kind === 'local'
}

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
  sources: { target: ValueSource; project?: ValueSource; env: ValueSource; dataDir?: DataDirSource }
  /** Local target only: the emulator's runtime file and the directory it was read from. */
  runtime?: RuntimeFile
  dataDir?: string
  /** The bkend.json that applied, if any. */
  linkPath?: string
}

/** Everything a target resolves to before the local emulator is read: what `bkend status` reports when none runs. */
export type TargetPlan = Omit<TargetContext, 'runtime' | 'mcpUrl' | 'restUrl'> & { mcpUrl?: string; restUrl?: string; dataDirChoice?: DataDirChoice; locate?: () => Promise<DataDirChoice> }

/** Resolves target, project and environment: flags > BKEND_* env vars > bkend.json > profile > defaults. */
export async function resolveTargetContext(flags: TargetFlagValues): Promise<TargetContext> {
  const plan = await resolveTargetPlan(flags)
  if (plan.kind !== 'local') return plan as TargetContext
  const choice = plan.dataDirChoice!
  const ready = flags.wait !== undefined ? await waitForEmulator(plan.locate!, flags.wait) : { choice, runtime: await readRuntimeFile(choice) }
  const { runtime } = ready
  const { locate: _locate, dataDirChoice: _choice, ...rest } = plan
  return {
    ...rest,
    mcpUrl: runtime.mcpUrl,
    restUrl: runtime.url,
    project: plan.project ?? runtime.projectId,
    organizationId: plan.organizationId ?? runtime.organizationId,
    sources: { ...plan.sources, project: plan.sources.project ?? 'emulator', dataDir: ready.choice.source },
    runtime,
    dataDir: ready.choice.dir,
  }
}

/** The precedence rules without contacting anything; for the local target, where its data dir would be. */
export async function resolveTargetPlan(flags: TargetFlagValues): Promise<TargetPlan> {
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
  const base = { target, profile: profileName, env: env.value, linkPath: link?.path, organizationId: link?.link.organizationId, project: project?.value }
  const sources = { target: targetSource, project: project?.source, env: env.source }

  if (target === 'local') {
    const given = flags['data-dir'] ? { dir: flags['data-dir'], source: sourceOf('BKEND_DATA_DIR', flags['data-dir']) } : undefined
    const locate = () => chooseDataDir(given, link, profile?.dataDir)
    const dataDirChoice = await locate()
    return { ...base, kind: 'local', sources: { ...sources, dataDir: dataDirChoice.source }, dataDir: dataDirChoice.dir, dataDirChoice, locate }
  }
  if (target === 'cloud') {
    const restUrl = process.env.BKEND_CLOUD_API_URL ?? config.cloud?.apiUrl ?? CLOUD_DEFAULTS.apiUrl
    const mcpUrl = process.env.BKEND_CLOUD_MCP_URL ?? config.cloud?.mcpUrl ?? CLOUD_DEFAULTS.mcpUrl
    return { ...base, kind: 'cloud', restUrl: trimSlash(restUrl), mcpUrl, sources }
  }
  const { restUrl, mcpUrl } = urlTarget(target)
  return { ...base, kind: 'url', restUrl, mcpUrl, sources }
}

/**
 * Resolves the REST origin and secret key for runtime commands, with the same precedence as every command.
 * Local target: the emulator's runtime file (its seeded keys unless --secret-key or BKEND_SECRET_KEY is given).
 * Otherwise (other targets, other local environments): a key saved with `bkend keys create --type secret --save`.
 */
export async function resolveRuntimeTarget(flags: RuntimeFlagValues): Promise<RuntimeTarget> {
  const context = await resolveTargetContext(flags)
  const explicitKey = flags['secret-key']
  if (explicitKey) return checkedTarget(context, explicitKey, sourceOf('BKEND_SECRET_KEY', explicitKey))

  const environment = context.env
  if (context.kind === 'local') {
    const runtime = context.runtime as RuntimeFile
    const seeded = runtime.environments.find((e) => e.name === environment)
    const seededProject = context.project === runtime.projectId || context.project === SEEDED_PROJECT_SLUG
    if (seededProject && seeded) return { restUrl: runtime.url, secretKey: seeded.secretKey, environment, checked: true, source: 'local', kind: 'local' }
  }
  // Keys saved with `bkend keys create --type secret --save`, for any target (the emulator's other environments too).
  const stored = (await loadCredentials()).secretKeys.find(
    (k) => k.restUrl === context.restUrl && k.environment === environment && (context.project === undefined || k.projectId === context.project || k.projectSlug === context.project),
  )
  if (!stored) {
    const where = context.kind === 'local' ? `the local emulator's project ${context.project}` : context.restUrl
    throw new CliError(`no secret key for ${where} (environment "${environment}")`, `pass --secret-key sk_… or set BKEND_SECRET_KEY (or create and save one: 'bkend keys create <name> --env ${environment} --type secret --save')`, 1, 'target/no-key')
  }
  // A saved key was saved for this environment; the emulator still says whether it (or its environment) is gone.
  if (context.kind === 'local') return checkedTarget(context, stored.secretKey, 'credentials')
  return { restUrl: context.restUrl, secretKey: stored.secretKey, environment, checked: true, source: 'credentials', kind: context.kind }
}

/** ` (environment dev)`, for the summary lines of runtime commands; an unchecked key names no environment. */
export function environmentNote(target: RuntimeTarget | undefined): string {
  if (!target) return ''
  return target.checked ? ` (environment ${target.environment})` : " (the key's environment)"
}

/** A key the user chose: the emulator says whose it is; other targets cannot, so the key decides there. */
async function checkedTarget(context: TargetContext, secretKey: string, source: KeySource): Promise<RuntimeTarget> {
  if (context.kind === 'local') {
    const environment = await checkLocalKey(context, secretKey, source)
    return { restUrl: context.restUrl, secretKey, environment, checked: true, source, kind: 'local' }
  }
  if (context.sources.env === 'flag' || context.sources.env === 'env') noteUncheckedKey(context, source)
  return { restUrl: context.restUrl, secretKey, environment: context.env, checked: false, source, kind: context.kind }
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

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
