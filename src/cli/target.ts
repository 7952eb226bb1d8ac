import { Flags } from '@oclif/core'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { DEFAULT_DATA_DIR, RUNTIME_FILE, type RuntimeFile } from '../contract/emulator.js'
import { CliError } from './errors.js'

/**
 * Global flags every target-aware command takes. Precedence everywhere: flags > BKEND_* environment variables >
 * the directory's linked project > user config.
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
  source: 'flag' | 'env' | 'local'
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

/**
 * Resolves the REST origin and secret key for runtime commands. Local target: the emulator's runtime file
 * (its seeded `dev` key unless --secret-key or BKEND_SECRET_KEY is given).
 */
export async function resolveRuntimeTarget(flags: RuntimeFlagValues): Promise<RuntimeTarget> {
  const target = flags.target ?? 'local'
  const explicitKey = flags['secret-key']
  const source = explicitKey ? (process.argv.includes('--secret-key') ? 'flag' : 'env') : 'local'
  if (target !== 'local') {
    if (!/^https?:\/\//.test(target)) throw new CliError(`unknown target "${target}"`, 'use --target local, cloud, or an http(s) URL', 2, 'target/unknown')
    if (!explicitKey) throw new CliError(`--target ${target} needs a secret key`, 'pass --secret-key sk_… or set BKEND_SECRET_KEY', 1, 'target/no-key')
    return { restUrl: target.replace(/\/+$/, ''), secretKey: explicitKey, environment: flags.env ?? 'unknown', source }
  }
  const runtime = await readRuntimeFile(flags['data-dir'])
  const wanted = flags.env ?? 'dev'
  const env = runtime.environments.find((e) => e.name === wanted)
  if (!explicitKey && !env) {
    throw new CliError(`the local emulator has no key for environment "${wanted}"`, `pass --secret-key for that environment (create one with 'bkend keys create --env ${wanted} --type secret')`, 1, 'target/no-key')
  }
  return { restUrl: runtime.url, secretKey: explicitKey ?? env!.secretKey, environment: wanted, source }
}
