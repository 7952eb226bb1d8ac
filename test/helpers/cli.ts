import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ReadyEvent } from '../../src/contract/emulator.js'

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

/** Runs the built CLI to completion. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
