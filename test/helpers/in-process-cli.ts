import type { EventEmitter } from 'node:events'
import { syncBuiltinESMExports } from 'node:module'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import type * as OclifCore from '@oclif/core'
import type * as OclifHandle from '@oclif/core/handle'
import type { CliResult, CliRunOptions } from './cli.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
/** `process` as the plain emitter it is, so the listeners of any event can be listed and removed. */
const events: EventEmitter = process

/** Commands that run until a signal or the end of stdin: a process of their own is the point. */
const SERVERS = new Set(['dev', 'mcp'])

let oclif: Promise<{ core: typeof OclifCore; handling: typeof OclifHandle }> | undefined
let queue: Promise<unknown> = Promise.resolve()
/** The run holding the process now, if any. */
let current: ProcessSession | undefined

// A run still going when its test ends (it timed out, or was not awaited) would keep the process's output and exit
// to itself: the reporter would print into its capture and mocha could not exit. Give them back and fail the test.
if (typeof afterEach === 'function') {
  afterEach(function () {
    if (!current) return
    const { args } = current
    current.end()
    current = undefined
    queue = Promise.resolve()
    if (this.currentTest?.state !== 'failed') throw new Error(`bkend ${args.join(' ')} was still running in-process when the test ended: await every run`)
  })
}

/**
 * Runs `bkend <args>` inside this process, as the built `bin/run.js` would in its own: the package's oclif Config
 * (loaded from the built dist/, whose command modules load once for all runs), `run(argv, config)`, and oclif's
 * `handle` turning errors into the exit code; stdout and stderr captured, `env` and `cwd` applied, stdin a pipe
 * holding `input`, no terminal attached. Runs are queued: they share the process's streams, env and directory.
 */
export function runInProcess(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  const result = queue.then(() => runOnce(args, options))
  queue = result.catch(() => undefined)
  return result
}

async function runOnce(args: string[], options: CliRunOptions): Promise<CliResult> {
  const session = new ProcessSession(args, options)
  current = session
  try {
    // note: oclif reads the terminal's width and colour support when it first loads; loading it inside the session
    // makes that the pipe a spawned binary sees, even when the tests themselves run on a terminal.
    oclif ??= loadOclif()
    const { core, handling } = await oclif
    // a Config of its own: help rewrites the ids of the commands it lists in place, which one process survives once
    const config = await core.Config.load(ROOT)
    if (SERVERS.has(args[0] ?? '') && !config.findCommand(`${args[0]}:${args[1]}`) && !config.findCommand(`${args[0]}:${args[1]}:${args[2]}`)) {
      throw new Error(`bkend ${args[0]} serves until it is stopped and owns the process's signals and stdio: run it with spawnDev or runBinary`)
    }
    let exitCode: number | undefined
    handling.Exit.exit = ((code = 0) => {
      exitCode ??= code
      session.exited = true
    }) as typeof handling.Exit.exit
    try {
      await core.run(args, config)
    } catch (error) {
      await handling.handle(error as Error)
    }
    return session.result(exitCode ?? exitCodeOf(process.exitCode))
  } finally {
    if (current === session) {
      session.end()
      current = undefined
    }
  }
}

async function loadOclif() {
  const [core, handling] = await Promise.all([import('@oclif/core'), import('@oclif/core/handle')])
  return { core, handling }
}

function exitCodeOf(code: string | number | null | undefined): number {
  return code === undefined || code === null ? 0 : Number(code)
}

/** One in-process run's view of the process: captured output, its env, cwd, argv and stdin, and no TTY. */
class ProcessSession {
  /** Set once the run "exits" (oclif's `Exit.exit`): later writes go nowhere, as they would after `process.exit`. */
  exited = false
  private readonly stdout: Buffer[] = []
  private readonly stderr: Buffer[] = []
  private readonly restores: Array<() => void> = []
  private readonly signalHandlers = new Map(events.eventNames().map((event) => [event, new Set(events.listeners(event))]))

  constructor(
    readonly args: string[],
    options: CliRunOptions,
  ) {
    this.capture(process.stdout, this.stdout)
    this.capture(process.stderr, this.stderr)
    for (const stream of [process.stdout, process.stderr]) {
      this.override(stream, 'isTTY', false)
      this.override(stream, 'columns', undefined)
    }
    const stdin = new PassThrough()
    stdin.end(options.input ?? '')
    this.override(process, 'stdin', stdin)
    this.override(process, 'argv', [process.execPath, BIN, ...args])
    this.override(process, 'exit', (code?: number) => {
      throw new Error(`process.exit(${code ?? ''}) called during an in-process run: a command returns, sets process.exitCode or throws; run the binary (runBinary) where the process itself is the point`)
    })
    this.setEnv(options.env ?? {})
    const cwd = process.cwd()
    if (options.cwd) {
      process.chdir(options.cwd)
      this.restores.push(() => process.chdir(cwd))
    }
    const exitCode = process.exitCode
    process.exitCode = undefined
    this.restores.push(() => (process.exitCode = exitCode))
    // note: the REST client asks V8 for its baseline WebAssembly compiler (`--liftoff-only`) to exit sooner; in a
    // real process that flag dies with it, here it would outlive the run and slow every later one's HTTP parser
    const { setFlagsFromString } = v8
    v8.setFlagsFromString = () => undefined
    syncBuiltinESMExports()
    this.restores.push(() => {
      v8.setFlagsFromString = setFlagsFromString
      syncBuiltinESMExports()
    })
  }

  result(code: number): CliResult {
    return { code, stdout: Buffer.concat(this.stdout).toString('utf8'), stderr: Buffer.concat(this.stderr).toString('utf8') }
  }

  /**
   * Puts the process back, and drops the signal handlers the run left behind, as its end would in a real process; a
   * later run's Ctrl+C must not reach them. Other process listeners may belong to modules loaded once for all runs.
   */
  end(): void {
    for (const restore of this.restores.reverse()) restore()
    // oclif keeps what it read from stdin (for `-` arguments and `allowStdin` flags) on a global, for the process's life
    delete (globalThis as { oclif?: { stdinCache?: string } }).oclif?.stdinCache
    for (const event of events.eventNames().filter((name) => typeof name === 'string' && name.startsWith('SIG'))) {
      const kept = this.signalHandlers.get(event)
      for (const listener of events.listeners(event)) if (!kept?.has(listener)) events.off(event, listener as (...args: unknown[]) => void)
    }
  }

  private capture(stream: NodeJS.WriteStream, into: Buffer[]): void {
    const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
      if (!this.exited) into.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk))
      const done = typeof encoding === 'function' ? encoding : callback
      if (done) process.nextTick(done)
      return true
    }
    this.override(stream, 'write', write)
  }

  private override<T extends object>(target: T, key: PropertyKey, value: unknown): void {
    const own = Object.getOwnPropertyDescriptor(target, key)
    Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: own?.enumerable ?? true })
    this.restores.push(() => {
      if (own) Object.defineProperty(target, key, own)
      else Reflect.deleteProperty(target, key)
    })
  }

  private setEnv(env: NodeJS.ProcessEnv): void {
    for (const [key, value] of Object.entries(env)) {
      const had = Object.hasOwn(process.env, key)
      const before = process.env[key]
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
      this.restores.push(() => {
        if (had) process.env[key] = before
        else delete process.env[key]
      })
    }
  }
}
