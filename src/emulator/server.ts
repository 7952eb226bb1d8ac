import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { DEFAULT_HOST, DEFAULT_PORT, RUNTIME_FILE, type ReadyEvent, type RuntimeFile } from '../contract/emulator.js'
import { GLOBAL_FAULT_RULE, type FaultRule, type FaultRuleInput } from '../contract/faults.js'
import type { PasswordHashCost } from './core/auth/passwords.js'
import { Clock } from './core/clock.js'
import { createCore, type Core } from './core/core.js'
import { ensureSeed, type PreviousCredentials, type Seed } from './core/seed.js'
import { buildApp, type ServerLimits } from './http/app.js'
import type { RequestLogOptions } from './http/middleware/request-log.js'
import { FaultRules } from './http/middleware/fault-rules.js'
import { silentLogger, type Logger } from './logger.js'
import { Store, type FsyncPolicy, type StoreFiles } from './store/store.js'
import { VERSION } from './version.js'

/** How long `stop()` lets requests in flight finish before it cuts their connections. */
export const DRAIN_MS = 5000

/** Requests per API key per minute, as the rate-limit headers announce (README-D7). */
export const REQUESTS_PER_MINUTE = 6000

export interface EmulatorOptions {
  dataDir: string
  host?: string
  /** 0 picks a free port. */
  port?: number
  fsync?: FsyncPolicy
  logger?: Logger
  /** Rate-limit enforcement (headers are always sent). */
  rateLimit?: { enabled: boolean; limit: number }
  compactMinBytes?: number
  /** Time `stop()` gives requests in flight before closing their connections (default 5 s). */
  drainMs?: number
  /** OAuth consent is granted without showing the consent page (tests, CI); off by default. */
  oauthAutoApprove?: boolean
  /** Base of signed and public storage URLs (`--public-url`), for clients that reach the emulator by another
   * name; default: the emulator origin. */
  publicUrl?: string
  /** Largest stored file in bytes (default 5 GiB). */
  maxFileSize?: number
  /** Cloud-parity mode (README-D12): what the hosted service does not document is hidden and refused; off by default. */
  cloudParity?: boolean
  /** The store's file layer; tests inject disk failures through it. Default: the real disk. */
  storeFiles?: StoreFiles
  /** `project` (default): a project's non-empty allowedOrigins is enforced; `any`: every origin is reflected (README-D9). */
  cors?: 'project' | 'any'
  /** Connection timeouts and cap (defaults: `SERVER_LIMITS`, docs/emulator.md). */
  limits?: Partial<ServerLimits>
  /** The global fault rule (`bkend dev --latency/--fail-rate`): off by default. */
  faults?: FaultRuleInput
  /**
   * Runs once the emulator serves and is seeded, before runtime.json is written: clients that wait for the emulator
   * (`--wait`, `bkend dev wait`) find this work done. A failure stops the start.
   */
  beforeReady?: (ready: ReadyEvent) => Promise<void>
  /** Start from snapshot `name` of `dataDir` (this one's or another's) in place of what the data dir holds. */
  snapshot?: { dataDir: string; name: string }
  /** The request log: on by default; `bodies` adds redacted request and response bodies (`--log-bodies`). */
  requestLog?: Partial<RequestLogOptions>
  /** Events the request log's ring holds (default 10,000). */
  requestLogCapacity?: number
  /** How hard new end-user password hashes are: `local` (default, fast) or `production` (docs/emulator.md). */
  passwordHash?: PasswordHashCost
}

export interface Emulator {
  readonly url: string
  readonly mcpUrl: string
  readonly core: Core
  readonly app: FastifyInstance
  readonly seed: Seed
  /** The `bkend dev --json` ready event. */
  readonly ready: ReadyEvent
  /** Stops accepting requests, drains those in flight (for up to `drainMs`), flushes and compacts the store, releases the lock. */
  stop(): Promise<void>
}

/** Checks the global fault rule as `createEmulator` will read it, so `bkend dev` can refuse bad flags before it starts; throws what was wrong. */
export function checkFaults(input: FaultRuleInput): FaultRule {
  return new FaultRules().add(input, GLOBAL_FAULT_RULE)
}

/** Starts an emulator on its own data directory. Never exits the process; many can run in one process. */
export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const logger = options.logger ?? silentLogger
  const dataDir = resolve(options.dataDir)
  const host = options.host ?? DEFAULT_HOST
  const cloudParity = options.cloudParity ?? false
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const store = await Store.open({ dataDir, fsync: options.fsync ?? 'everysec', compactMinBytes: options.compactMinBytes, logger, files: options.storeFiles })
  let origin = ''
  let app: FastifyInstance | undefined
  try {
    if (options.snapshot) await store.snapshots.restoreFrom(resolve(options.snapshot.dataDir), options.snapshot.name)
    const core = await createCore({ store, origin: () => origin, clock: new Clock(), authLimits: options.rateLimit?.enabled ?? false, publicUrl: options.publicUrl, maxFileSize: options.maxFileSize, cloudParity, requestLogCapacity: options.requestLogCapacity, passwordHash: options.passwordHash })
    const startedAt = new Date().toISOString()
    app = await buildApp(core, {
      version: VERSION,
      startedAt,
      logger,
      rateLimit: options.rateLimit ?? { enabled: false, limit: REQUESTS_PER_MINUTE },
      oauthAutoApprove: options.oauthAutoApprove ?? false,
      cloudParity,
      hosts: [host, ...(options.publicUrl ? [new URL(options.publicUrl).hostname] : [])],
      limits: options.limits,
      corsAnyOrigin: options.cors === 'any',
      requestLog: options.requestLog,
      faults: options.faults,
    })
    await app.listen({ host, port: options.port ?? DEFAULT_PORT })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : options.port
    origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

    const runtimePath = join(dataDir, RUNTIME_FILE)
    const seed = await ensureSeed(core, await readPrevious(runtimePath))
    const ready: ReadyEvent = {
      event: 'ready',
      url: origin,
      mcpUrl: `${origin}/mcp`,
      organizationId: seed.organizationId,
      projectId: seed.projectId,
      environments: [seed.environment],
      tenantToken: seed.tenantToken,
      cloudParity,
      consoleUrl: (await core.consoleSessions.signInUrl(seed.tenantId)).url,
    }
    const globalFault = app.faults.list().find((rule) => rule.id === GLOBAL_FAULT_RULE)
    if (globalFault) ready.faults = globalFault
    await options.beforeReady?.(ready)
    await writeRuntime(runtimePath, { version: 1, pid: process.pid, startedAt, ...withoutEvent(ready) })
    // After ready: a large data dir's index maps are built between requests instead of in the first one.
    void core.records.warm(store.databaseNames().map((name) => store.database(name)!)).catch((error: unknown) => logger.error(`building indexes failed: ${(error as Error).message}`))
    const server = app
    let stopping: Promise<void> | undefined
    return {
      url: origin,
      mcpUrl: ready.mcpUrl,
      core,
      app: server,
      seed,
      ready,
      stop: () =>
        (stopping ??= (async () => {
          // note: a streamed response (a file download) can end on the server a moment after the client has read
          // all of it; a keep-alive connection that turns idle after close() began would otherwise hold the close
          // open until its keep-alive timeout.
          const sweep = setInterval(() => server.server.closeIdleConnections(), 25)
          // A client that stalls mid-request (an upload that stops sending) must not hold the shutdown open: after
          // the drain time, every connection still open is cut; an interrupted upload leaves no bytes behind.
          const deadline = setTimeout(() => server.server.closeAllConnections(), options.drainMs ?? DRAIN_MS)
          try {
            await server.close()
          } finally {
            clearInterval(sweep)
            clearTimeout(deadline)
            await store.close()
          }
        })()),
    }
  } catch (error) {
    await app?.close().catch(() => undefined)
    await store.close().catch(() => undefined)
    throw error
  }
}

function withoutEvent(ready: ReadyEvent): Omit<ReadyEvent, 'event'> {
  const { event: _event, ...rest } = ready
  return rest
}

async function readPrevious(path: string): Promise<PreviousCredentials> {
  try {
    const previous = JSON.parse(await readFile(path, 'utf8')) as Partial<RuntimeFile>
    return { secretKey: previous.environments?.[0]?.secretKey, tenantToken: previous.tenantToken }
  } catch {
    return {}
  }
}

/** Writes the runtime file atomically, readable by the owner only: it holds the secret key and tenant token. */
async function writeRuntime(path: string, runtime: RuntimeFile): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(runtime, null, 2) + '\n', { mode: 0o600 })
  await chmod(temp, 0o600)
  await rename(temp, path)
}

export { DataDirLockedError, holdsData, SnapshotError } from './store/store.js'
export { DEFAULT_HOST, DEFAULT_PORT }
