import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ReadyEvent } from '../../src/contract/emulator.js'
import { runInProcess } from './in-process-cli.js'

export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface DevProcess {
  child: ChildProcessWithoutNullStreams
  ready: ReadyEvent
  /** Every stdout line so far. */
  lines: string[]
  stderr: () => string
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

/** Spawns the built `bkend dev --json` and resolves on its ready line. */
export function spawnDev(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, 'dev', '--json', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  const lines: string[] = []
  let err = ''
  let buffer = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bkend dev did not get ready: ${err}`)), 15_000)
    child.stderr.on('data', (chunk) => (err += chunk))
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() as string
      for (const line of parts) {
        lines.push(line)
        if (lines.length === 1) {
          clearTimeout(timer)
          resolve({
            child,
            ready: JSON.parse(line) as ReadyEvent,
            lines,
            stderr: () => err,
            stop: (signal = 'SIGTERM') => {
              child.kill(signal)
              return exited
            },
          })
        }
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (lines.length === 0) reject(new Error(`bkend dev exited ${code} before ready: ${err}`))
    })
  })
}

/** What a finished `bkend <args>` left: its exit code and everything it wrote. */
export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** How a run sees its process: variables set (or, when `undefined`, removed), working directory, stdin's content. */
export interface CliRunOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  input?: string
}

/**
 * Runs `bkend <args>` to completion inside this process (test/helpers/in-process-cli.ts): the same code, stdout and
 * stderr as the binary in a pipe, without paying a Node start-up per command. The default for CLI tests.
 */
export const runCli: (args: string[], options?: CliRunOptions) => Promise<CliResult> = runInProcess

/**
 * Runs the built binary (`node bin/run.js`) in its own process, for tests where the process itself is the point:
 * `bkend dev` and `bkend mcp` themselves, signals, start-up, Node's own warnings on stderr, a real exit.
 */
export function runBinary(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.stdin.end(options.input ?? '')
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** `env` entries that remove every BKEND_* variable of the machine running the tests, so none leaks into a run. */
export function withoutMachineBkendEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('BKEND_')).map((k) => [k, undefined]))
}

/** `text` parsed when it is one JSON document (a --json answer on stdout, or its error on stderr), else undefined. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed
export function parseJson(text: string): any {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
