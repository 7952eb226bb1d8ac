import autocannon from 'autocannon'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')

export interface LoadResult {
  requests: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** autocannon against one URL for a fixed time; the load generator runs in this process, the server in a child. */
export async function load(options: { url: string; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; connections?: number; seconds?: number; requests?: autocannon.Request[] }): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 5,
    requests: options.requests,
  })
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx }
}

/** Spawns a child that prints one JSON line when ready, and resolves with it. */
export function spawnReady<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ready: T; ms: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let buffer = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const newline = buffer.indexOf('\n')
      if (newline >= 0) resolve({ child, ready: JSON.parse(buffer.slice(0, newline)) as T, ms: performance.now() - started })
    })
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before ready`)))
  })
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

export function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'bkend-bench-'))
}

/** Median wall time of running a command to completion, over `runs` runs. */
export async function medianRunMs(args: string[], runs: number, cwd?: string): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' })
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))))
    })
    times.push(performance.now() - started)
  }
  return median(times)
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const ratio = (value: number, base: number) => `${((value / base) * 100).toFixed(0)} %`
