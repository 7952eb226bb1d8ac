// The peers (issue 18 §2): json-server on the data operations and Firebase's Auth emulator on start-up, sign-up and
// sign-in, each against `bkend dev` in the same run. Peers are installed on first use into bench/.peers (ignored),
// never as dependencies of the project; without a network the suite says why and leaves their rows out.
import { spawn, type ChildProcess } from 'node:child_process'
import { access, cp, mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { ReadyEvent } from '../src/contract/emulator.js'
import type { Row } from './foundation.js'
import { BIN, ROOT, load, median, spawnReady, stopChild, tempDataDir, type LoadOptions } from './lib.js'
import { cachedDataDir } from './scale.js'

const PEERS = join(ROOT, 'bench', '.peers')
const JSON_SERVER = { name: 'json-server', version: '0.17.4', bin: 'json-server/lib/cli/bin.js' }
const FIREBASE = { name: 'firebase-tools', version: '15.34.2', bin: 'firebase-tools/lib/bin/firebase.js' }
const JSON_SERVER_SIZES = [1_000, 100_000]
const STARTS = 3

type Peer = typeof JSON_SERVER

/** The peer's entry script, installed with `npm install --prefix` on first use; a reason when that fails. */
async function installed(peer: Peer): Promise<{ bin: string } | { skipped: string }> {
  const prefix = join(PEERS, `${peer.name}-${peer.version}`)
  const bin = join(prefix, 'node_modules', peer.bin)
  if (await access(bin).then(() => true, () => false)) return { bin }
  process.stderr.write(`  installing ${peer.name}@${peer.version} into bench/.peers (first use only)…\n`)
  await mkdir(prefix, { recursive: true })
  const result = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${peer.name}@${peer.version}`], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c) => (err += c))
    child.on('error', (error) => resolve({ code: null, err: error.message }))
    child.on('exit', (code) => resolve({ code, err }))
  })
  if (result.code === 0 && (await access(bin).then(() => true, () => false))) return { bin }
  await rm(prefix, { recursive: true, force: true })
  const reason = /E[A-Z]+ /.exec(result.err)?.[0]?.trim() ?? result.err.trim().split('\n').at(-1) ?? 'npm failed'
  return { skipped: `${peer.name}@${peer.version} could not be installed (${reason}; no network?)` }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts `args` and resolves once `url` answers anything: the time from spawn to the first answer. */
async function startUntilAnswering(args: string[], url: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (c) => (err += c))
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${err}`)
    if (await fetch(url).then(() => true, () => false)) return { child, ms: performance.now() - started }
    if (performance.now() - started > 120_000) {
      await stopChild(child)
      throw new Error(`${args.join(' ')} did not answer within 2 minutes`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const rate = (requests: number) => `${requests.toFixed(0)} req/s`
const times = (ours: number, theirs: number) => `${(ours / theirs).toFixed(ours / theirs >= 10 ? 0 : 2)}×`

/** Median time of `runs` requests sent one after another. */
async function sequentialMs(options: LoadOptions, runs: number): Promise<number> {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const response = await fetch(options.paths ? new URL(options.paths[i]!, options.url) : options.url, { method: options.method ?? 'GET', headers: options.headers, body: options.body })
    await response.arrayBuffer()
    ms.push(performance.now() - started)
  }
  return median(ms)
}

/** json-server's database of `count` posts shaped as the scaling suite's, as one JSON file. */
async function jsonServerDb(dir: string, count: number): Promise<string> {
  const path = join(dir, 'db.json')
  const posts = Array.from({ length: count }, (_, i) => ({ id: i + 1, title: `Post number ${i}`, category: `c${i % 50}`, score: i, published: i % 2 === 0 }))
  await writeFile(path, JSON.stringify({ posts }))
  return path
}

async function jsonServerRows(bin: string, seconds: number): Promise<Row[]> {
  const rows: Row[] = []
  for (const count of JSON_SERVER_SIZES) {
    const dir = await tempDataDir()
    const port = await freePort()
    const peerUrl = `http://127.0.0.1:${port}`
    const peer = await startUntilAnswering([bin, '--port', String(port), '--host', '127.0.0.1', '--quiet', await jsonServerDb(dir, count)], `${peerUrl}/posts/1`, dir)
    const { dir: cached, ids } = await cachedDataDir(count)
    const devDir = await tempDataDir()
    await cp(cached, devDir, { recursive: true })
    const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', devDir])
    try {
      const headers = { 'X-API-Key': dev.ready.environments[0]!.secretKey }
      const json = { 'content-type': 'application/json' }
      const post = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
      const half = Math.floor(count / 2)
      const filter = (f: unknown) => `/v1/data/posts?limit=20&andFilters=${encodeURIComponent(JSON.stringify(f))}`
      // the same questions in each one's query language; json-server has no index, so both filters scan there
      const ops: Array<{ what: string; ours: LoadOptions; theirs: LoadOptions }> = [
        { what: 'GET a record by id (rotating)', ours: { url: dev.ready.url, paths: ids.map((id) => `/v1/data/posts/${id}`), headers }, theirs: { url: peerUrl, paths: Array.from({ length: 5000 }, (_, i) => `/posts/${((i * 7919) % count) + 1}`) } },
        { what: 'filtered page, equality on `category` (indexed in bkend)', ours: { url: `${dev.ready.url}${filter({ category: 'c7' })}`, headers }, theirs: { url: `${peerUrl}/posts?category=c7&_page=1&_limit=20` } },
        { what: 'filtered page, `score` ≥ half and `published`', ours: { url: `${dev.ready.url}${filter({ score: { $gte: half }, published: true })}`, headers }, theirs: { url: `${peerUrl}/posts?score_gte=${half}&published=true&_page=1&_limit=20` } },
        { what: 'list page of 20 with the total count', ours: { url: `${dev.ready.url}/v1/data/posts`, headers }, theirs: { url: `${peerUrl}/posts?_page=1&_limit=20` } },
        { what: 'POST a record', ours: { url: `${dev.ready.url}/v1/data/posts`, method: 'POST', body: post, headers: { ...headers, ...json } }, theirs: { url: `${peerUrl}/posts`, method: 'POST', body: post, headers: json } },
      ]
      for (const op of ops) {
        // note: json-server rewrites its whole db.json on every POST and takes seconds per request at 100,000
        // records, so both sides get a few connections and short runs
        const options = { seconds: Math.min(seconds, 3), connections: 10 }
        const theirs = await load({ ...op.theirs, ...options })
        const ours = await load({ ...op.ours, ...options })
        if (ours.non2xx > 0 || ours.errors > 0) throw new Error(`${op.what}: bkend answered ${ours.non2xx} non-2xx and had ${ours.errors} errors`)
        const what = `${op.what}, ${count.toLocaleString('en-US')} records, 10 connections`
        const value = `${rate(ours.requests)} (p99 ${ours.p99} ms)`
        if (theirs.requests >= 1) {
          const peerNote = theirs.non2xx > 0 || theirs.errors > 0 || theirs.timeouts > 0 ? `, ${theirs.non2xx} non-2xx, ${theirs.errors + theirs.timeouts} errors or timeouts` : ''
          rows.push({ what, value, baseline: `${rate(theirs.requests)} (p99 ${theirs.p99} ms${peerNote}) json-server`, ratio: times(ours.requests, theirs.requests), target: '—' })
          continue
        }
        // json-server answers one request at a time; when none came back inside the load generator's timeout, one
        // request alone says what a request costs it
        const one = await sequentialMs(op.theirs, 3)
        rows.push({ what, value, baseline: `${(1000 / one).toFixed(1)} req/s (${one.toFixed(0)} ms a request, one at a time; none answered under load) json-server`, ratio: times(ours.requests, 1000 / one), target: '—' })
      }
    } finally {
      await stopChild(dev.child)
      await stopChild(peer.child)
      await rm(dir, { recursive: true, force: true })
      await rm(devDir, { recursive: true, force: true })
    }
  }
  return rows
}

async function firebaseRows(bin: string, seconds: number): Promise<Row[]> {
  const rows: Row[] = []
  const dir = await tempDataDir()
  const [auth, hub, logging] = [await freePort(), await freePort(), await freePort()]
  const host = '127.0.0.1'
  await writeFile(join(dir, 'firebase.json'), JSON.stringify({ emulators: { auth: { port: auth, host }, hub: { port: hub, host }, logging: { port: logging, host }, ui: { enabled: false } } }))
  const peerUrl = `http://${host}:${auth}`
  // a home of its own: the CLI keeps its config and update checks there, never in the user's
  const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') }
  const args = [bin, 'emulators:start', '--only', 'auth', '--project', 'demo-bench']
  const peerStarts: number[] = []
  const ourStarts: number[] = []
  for (let i = 0; i < STARTS; i++) {
    const peer = await startUntilAnswering(args, `${peerUrl}/`, dir, env)
    peerStarts.push(peer.ms)
    await stopChild(peer.child)
    const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
    ourStarts.push(dev.ms)
    await stopChild(dev.child)
  }
  rows.push({ what: `start-up to the first answer (median of ${STARTS}, alternated)`, value: `${median(ourStarts).toFixed(0)} ms (\`bkend dev\`)`, baseline: `${median(peerStarts).toFixed(0)} ms (Auth emulator)`, ratio: times(median(ourStarts), median(peerStarts)), target: '—' })

  const peer = await startUntilAnswering(args, `${peerUrl}/`, dir, env)
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
  try {
    const json = { 'content-type': 'application/json' }
    const ourHeaders = { ...json, 'X-API-Key': dev.ready.environments[0]!.publishableKey }
    const password = 'bench-password-1'
    const signUp = (email: string) => JSON.stringify({ email, password, returnSecureToken: true })
    const peerSignUp = `${peerUrl}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=fake-api-key`
    const peerSignIn = `${peerUrl}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key`
    for (const [url, headers, body] of [
      [peerSignUp, json, signUp('known@example.com')],
      [`${dev.ready.url}/v1/auth/email/signup`, ourHeaders, JSON.stringify({ email: 'known@example.com', password })],
    ] as const) {
      const response = await fetch(url, { method: 'POST', headers, body })
      if (!response.ok) throw new Error(`sign-up at ${url} answered ${response.status}: ${await response.text()}`)
    }
    const ops: Array<{ what: string; ours: LoadOptions; theirs: LoadOptions; target: string }> = [
      { what: 'sign-up with e-mail and password (a new user each request)', ours: { url: `${dev.ready.url}/v1/auth/email/signup`, method: 'POST', headers: ourHeaders, bodyTemplate: JSON.stringify({ email: 'u{n}@example.com', password }) }, theirs: { url: peerSignUp, method: 'POST', headers: json, bodyTemplate: signUp('u{n}@example.com') }, target: '≥ 1,500/s' },
      { what: 'sign-in with e-mail and password (one user)', ours: { url: `${dev.ready.url}/v1/auth/email/signin`, method: 'POST', headers: ourHeaders, body: JSON.stringify({ email: 'known@example.com', password }) }, theirs: { url: peerSignIn, method: 'POST', headers: json, body: signUp('known@example.com') }, target: '≥ 1,500/s' },
    ]
    for (const op of ops) {
      const options = { seconds, connections: 10 }
      const before = await load({ ...op.theirs, ...options })
      const ours = await load({ ...op.ours, ...options })
      const after = await load({ ...op.theirs, ...options })
      for (const r of [before, ours, after]) if (r.non2xx > 0 || r.errors > 0) throw new Error(`${op.what}: ${r.non2xx} non-2xx answers, ${r.errors} errors`)
      const theirs = (before.requests + after.requests) / 2
      rows.push({ what: `${op.what}, 10 connections`, value: `${ours.requests.toFixed(0)}/s (p99 ${ours.p99} ms)`, baseline: `${theirs.toFixed(0)}/s (p99 ${after.p99} ms) Auth emulator, which stores passwords unhashed`, ratio: times(ours.requests, theirs), target: op.target })
    }
  } finally {
    await stopChild(dev.child)
    await stopChild(peer.child)
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}

export async function peers(seconds: number): Promise<Row[]> {
  const rows: Row[] = []
  const jsonServer = await installed(JSON_SERVER)
  if ('skipped' in jsonServer) rows.push({ what: 'json-server rows skipped', value: jsonServer.skipped, baseline: '—', ratio: '—', target: '—' })
  else rows.push(...(await jsonServerRows(jsonServer.bin, seconds)))
  const firebase = await installed(FIREBASE)
  if ('skipped' in firebase) rows.push({ what: 'Firebase Auth emulator rows skipped', value: firebase.skipped, baseline: '—', ratio: '—', target: '—' })
  else rows.push(...(await firebaseRows(firebase.bin, seconds)))
  return rows
}
