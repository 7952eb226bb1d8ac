import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { CredentialStore, StoredLogin } from '../client/credentials.js'
import { CliError } from './errors.js'

/** bkend's hosted endpoints; both can be overridden in config.json (`cloud`) or by BKEND_CLOUD_*_URL. */
export const CLOUD_DEFAULTS = { apiUrl: 'https://api.bkend.ai', mcpUrl: 'https://api.bkend.ai/mcp' } as const

/** A named set of defaults in config.json. Every field is optional; flags, env vars and bkend.json win. */
export interface Profile {
  target?: string
  project?: string
  env?: string
  dataDir?: string
}

/** `<config dir>/config.json`. */
export interface UserConfig {
  /** Profile used when neither --profile nor BKEND_PROFILE names one (default "default"). */
  defaultProfile?: string
  profiles?: Record<string, Profile>
  cloud?: { apiUrl?: string; mcpUrl?: string }
}

/** A secret key remembered for a runtime target (`bkend keys create --type secret --save`). */
export interface StoredSecretKey {
  restUrl: string
  projectId: string
  projectSlug?: string
  environment: string
  secretKey: string
}

/** `<config dir>/credentials.json` (mode 0600): logins per profile and MCP URL, and saved secret keys. */
export interface Credentials {
  version: 1
  logins: Record<string, Record<string, StoredLogin>>
  secretKeys: StoredSecretKey[]
}

/** `$XDG_CONFIG_HOME/bkend`, or `~/.config/bkend`. Read at call time so tests can point it elsewhere. */
export function configDir(): string {
  const xdg = process.env.XDG_CONFIG_HOME
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), 'bkend')
}

/** `<config dir>/config.json`. */
export const configPath = () => join(configDir(), 'config.json')
/** `<config dir>/credentials.json`. */
export const credentialsPath = () => join(configDir(), 'credentials.json')

/** The user config; empty when the file does not exist. */
export async function loadConfig(): Promise<UserConfig> {
  return (await readJson<UserConfig>(configPath())) ?? {}
}

/** The credentials file; empty when it does not exist. */
export async function loadCredentials(): Promise<Credentials> {
  const stored = await readJson<Partial<Credentials>>(credentialsPath())
  return { version: 1, logins: stored?.logins ?? {}, secretKeys: stored?.secretKeys ?? [] }
}

/** Reads, changes and writes the credentials file in one step (atomic rename, mode 0600). */
export async function updateCredentials(change: (credentials: Credentials) => void): Promise<void> {
  const credentials = await loadCredentials()
  change(credentials)
  await writePrivate(credentialsPath(), credentials)
}

/** The client's credential store, backed by the credentials file: logins per profile and MCP server. */
export const credentialStore: CredentialStore = {
  async loadLogin(profile, mcpUrl) {
    return (await loadCredentials()).logins[profile]?.[mcpUrl]
  },
  async saveLogin(profile, mcpUrl, login) {
    await updateCredentials((credentials) => {
      if (login) (credentials.logins[profile] ??= {})[mcpUrl] = login
      else delete credentials.logins[profile]?.[mcpUrl]
    })
  },
}

/** Writes JSON readable only by the user: a temp file with mode 0600 renamed over the target. */
export async function writePrivate(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
  // note: writeFile's mode only applies when it creates the file; chmod covers a leftover temp file.
  await chmod(temp, 0o600)
  await rename(temp, path)
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, 'check the file permissions', 1, 'config/unreadable')
  }
  try {
    return JSON.parse(text) as T
  } catch {
    throw new CliError(`${path} is not valid JSON`, 'fix or delete the file', 1, 'config/invalid')
  }
}
