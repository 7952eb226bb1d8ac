import autocannon from 'autocannon'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ReadyEvent } from '../src/contract/emulator.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')

export interface LoadResult {
  requests: number
  p50: number
  p99: number
  /** Longest request, ms. */
  max: number
  /** Socket errors other than timeouts. */
  errors: number
  /** Requests unanswered after the load generator's timeout (2 s for wrk, 10 s for autocannon). */
  timeouts: number
  non2xx: number
}

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections?: number
  seconds?: number
  /** Paths to rotate through, one per request (the URL's path otherwise). */
  paths?: string[]
  /** A body whose `{n}` becomes a token no other request of this process sends (sign-ups of new users). */
  bodyTemplate?: string
  /** Runs between the warm-up and the measured run: to sample the server's CPU time over the measured run alone. */
  beforeRun?: () => Promise<void>
  /** The second of the same load before the measured run (default true); off for short runs alternated many times. */
  warmUp?: boolean
}

/** Which load generator runs: wrk (C, one thread) when installed, else autocannon in this process. */
export const LOAD_CLIENT = spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk'

/**
 * Drives one URL for a fixed time. wrk is preferred: autocannon spends a whole core of this 2-core class of machine
 * parsing responses, so a fast server ends up measuring the client. Both sides of every ratio use the same client.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const run = LOAD_CLIENT === 'wrk' ? loadWithWrk : loadWithAutocannon
  // One second of the same load first, so the measured run sees the route's steady state (optimised code, warm
  // connections) on both sides of a ratio rather than the JIT's first compiles.
  if (options.warmUp !== false) await run({ ...options, seconds: 1 })
  await options.beforeRun?.()
  return run(options)
}

async function loadWithAutocannon(options: LoadOptions): Promise<LoadResult> {
  let n = 0
  const { paths, bodyTemplate } = options
  const prefix = runPrefix()
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 5,
    requests:
      paths || bodyTemplate
        ? [
            {
              method: options.method ?? 'GET',
              setupRequest: (req) => {
                const i = n++
                return { ...req, ...(paths ? { path: paths[i % paths.length] } : {}), ...(bodyTemplate ? { body: bodyTemplate.replaceAll('{n}', `${prefix}${i}`) } : {}) }
              },
            },
          ]
        : undefined,
  })
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, errors: result.errors - result.timeouts, timeouts: result.timeouts, non2xx: result.non2xx }
}

async function loadWithWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bkend-wrk-'))
  const script = join(dir, 'load.lua')
  const lines = [`wrk.method = ${JSON.stringify(options.method ?? 'GET')}`]
  if (options.body !== undefined) lines.push(`wrk.body = ${JSON.stringify(options.body)}`)
  for (const [name, value] of Object.entries(options.headers ?? {})) lines.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`)
  if (options.paths) {
    lines.push(`local paths = { ${options.paths.map((p) => JSON.stringify(p)).join(', ')} }`, 'local i = 0', 'request = function() i = i + 1; return wrk.format(nil, paths[(i % #paths) + 1]) end')
  } else if (options.bodyTemplate !== undefined) {
    const [head, ...rest] = options.bodyTemplate.split('{n}')
    const parts = [JSON.stringify(head), ...rest.map((part) => `token .. ${JSON.stringify(part)}`)].join(' .. ')
    lines.push('local i = 0', `request = function() i = i + 1; local token = ${JSON.stringify(runPrefix())} .. i; return wrk.format(nil, nil, nil, ${parts}) end`)
  }
  await writeFile(script, lines.join('\n') + '\n')
  const args = ['-t1', `-c${options.connections ?? 50}`, `-d${options.seconds ?? 5}s`, '--latency', '-s', script, options.url]
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c))
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`))))
  })
  await rm(dir, { recursive: true, force: true })
  const ms = (label: string) => {
    const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)`, 'm').exec(output)
    if (!match) return NaN
    const value = Number(match[1])
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
  }
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  return {
    requests: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN),
    p50: ms('50%'),
    p99: ms('99%'),
    max: ms('Latency\\s+\\S+\\s+\\S+'),
    errors: socket ? socket.slice(1, 4).reduce((sum, v) => sum + Number(v), 0) : 0,
    timeouts: socket ? Number(socket[4]) : 0,
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
  }
}

let runs = 0
/** Unique per load run of this process, so tokens of `bodyTemplate` never repeat across runs. */
function runPrefix(): string {
  return `${process.pid.toString(36)}r${(runs++).toString(36)}x`
}

let spawned = 0

/**
 * Spawns a child that prints one JSON line when ready, and resolves with it. The child's stdout goes to a file (removed
 * when it exits), as `bkend dev --json > log.ndjson` would, not to a pipe this process reads: `bkend dev --json`
 * prints a line per request, and a reader waking up for every write would take CPU from the server and the load
 * generator on this 2-core machine, which is the reader's cost, not the server's.
 */
export async function spawnReady<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ready: T; ms: number }> {
  const path = join(tmpdir(), `bkend-bench-stdout-${process.pid}-${spawned++}.ndjson`)
  const started = performance.now()
  const out = openSync(path, 'w')
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, 'inherit'] })
  closeSync(out)
  let exited: number | null | undefined
  child.on('exit', (code) => {
    exited = code
    void rm(path, { force: true })
  })
  // note: polled every 2 ms, so a ready time is at most 2 ms late.
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '')
    const newline = text.indexOf('\n')
    if (newline >= 0) return { child, ready: JSON.parse(text.slice(0, newline)) as T, ms: performance.now() - started }
    if (exited !== undefined) throw new Error(`${args.join(' ')} exited ${exited} before ready`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
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

/** A child's resident set size in MB (MiB), or 0 once it is gone. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

/** Runs a CLI command to completion: wall time, stdout, and its peak RSS (polled every 20 ms). */
export function runMeasured(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string; peakMb: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let peakMb = 0
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const poll = setInterval(() => void rssMb(child.pid!).then((mb) => (peakMb = Math.max(peakMb, mb))), 20)
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      clearInterval(poll)
      if (code === 0) resolve({ ms: performance.now() - started, stdout, peakMb })
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
    }),
  )
}

export const ratio = (value: number, base: number) => `${((value / base) * 100).toFixed(0)} %`

/**
 * A bench server script (`bench/<script>`) in its own process that prints the ready event, then takes one-line
 * commands on stdin (`start`, `report`) and answers `report` with one JSON line; ends when stdin closes.
 */
export async function startBenchServer<Report>(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...args], { stdio: ['pipe', 'pipe', 'inherit'], env })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const next = async () => {
    const line = await lines.next()
    if (line.done) throw new Error(`${script} exited`)
    return JSON.parse(line.value) as unknown
  }
  const ready = (await next()) as ReadyEvent
  return {
    ready,
    command: (text: string) => child.stdin!.write(`${text}\n`),
    report: async () => {
      child.stdin!.write('report\n')
      return (await next()) as Report
    },
    stop: async () => {
      child.stdin!.end()
      await once(child, 'exit')
    },
  }
}

/** One round of a throughput row: the measured run and the mean of the bare runs on either side of it. */
export interface Round {
  measured: LoadResult
  base: number
  ratio: number
  /** The framework floor's rate in the same round (bench/baseline-fastify.mjs), when it was measured. */
  floor?: number
}

/**
 * Measures bare, then the emulator, then bare again, and divides by the mean of the two bare runs, so a busy
 * moment of a shared machine falls on both sides of the ratio. With `floor`, the framework floor runs right after
 * the first bare run. Throws on any non-2xx answer or socket error.
 */
export async function againstBare(bare: LoadOptions, measured: LoadOptions, floor?: LoadOptions): Promise<Round> {
  const before = await load(bare)
  const framework = floor ? await load(floor) : undefined
  const result = await load(measured)
  const after = await load(bare)
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${measured.url} got ${result.non2xx} non-2xx answers and ${result.errors} errors`)
  if (framework && (framework.non2xx > 0 || framework.errors > 0)) throw new Error(`the framework floor got ${framework.non2xx} non-2xx answers and ${framework.errors} errors`)
  const base = (before.requests + after.requests) / 2
  return { measured: result, base, ratio: result.requests / base, ...(framework ? { floor: framework.requests } : {}) }
}

/** The round with the median ratio: neither one busy moment nor one unlucky process decides a row. */
export const medianRound = (rounds: Round[]): Round => [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!

/** Every round's ratio in brackets after the median, when there was more than one. */
export const roundSpread = (rounds: Round[]): string => (rounds.length > 1 ? ` (rounds ${rounds.map((r) => ratio(r.measured.requests, r.base)).join(', ')})` : '')
