/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdir, open, rm, rmdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createEmulator, type Emulator } from '../../src/emulator/server.js'
import { runCli, spawnDev, withoutMachineBkendEnv, type DevProcess } from '../helpers/cli.js'
import { FailingFiles } from '../helpers/failing-files.js'
import { tempDir } from '../helpers/tmp.js'

/** A running emulator on a disk the test can fill and free. */
interface Running {
  url: string
  secretKey: string
  stop(): Promise<void>
}

interface Disk {
  /** Which disk this run has: a real tmpfs filled with a file, or the store's file layer made to fail. */
  kind: 'tmpfs' | 'injected'
  dataDir: string
  start(): Promise<Running>
  createTable(running: Running, name: string): Promise<void>
  fill(): Promise<void>
  free(): Promise<void>
  dispose(): Promise<void>
}

/** A 4 MiB tmpfs where this machine lets us mount one (root on Linux), so the disk really runs out. */
async function tmpfsDisk(): Promise<Disk | null> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null
  const { dir: base, cleanup } = await tempDir('bkend-full-')
  const mount = join(base, 'mnt')
  await mkdir(mount)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount], { stdio: 'ignore' })
  } catch {
    await cleanup()
    return null
  }
  const dataDir = join(mount, 'data')
  const filler = join(mount, 'filler')
  // The CLI's own config lives off the small disk, so only the emulator competes for its space.
  const cliEnv = { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(base, 'config') }
  let dev: DevProcess | undefined
  return {
    kind: 'tmpfs',
    dataDir,
    async start() {
      dev = await spawnDev(['--port', '0', '--data-dir', dataDir])
      const process = dev
      return { url: dev.ready.url, secretKey: dev.ready.environments[0]!.secretKey, stop: async () => void (await process.stop('SIGTERM')) }
    },
    async createTable(_running, name) {
      const result = await runCli(['tables', 'create', name, '--field', 'n:number', '--data-dir', dataDir], { cwd: base, env: cliEnv })
      expect(result.code, result.stderr).to.equal(0)
    },
    async fill() {
      const handle = await open(filler, 'w')
      const chunk = Buffer.alloc(64 * 1024, 1)
      try {
        for (;;) await handle.write(chunk)
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).to.equal('ENOSPC')
      } finally {
        await handle.close()
      }
    },
    free: () => rm(filler, { force: true }),
    async dispose() {
      if (dev && dev.child.exitCode === null) await dev.stop('SIGKILL')
      execFileSync('umount', [mount])
      await rmdir(mount)
      await cleanup()
    },
  }
}

/** Elsewhere: the same scenario with the journal's writes failing with ENOSPC at the store's file layer. */
async function injectedDisk(): Promise<Disk> {
  const { dir: dataDir, cleanup } = await tempDir('bkend-full-')
  const files = new FailingFiles()
  let emulator: Emulator | undefined
  return {
    kind: 'injected',
    dataDir,
    async start() {
      emulator = await createEmulator({ dataDir, port: 0, storeFiles: files })
      const running = emulator
      return { url: running.url, secretKey: running.seed.environment.secretKey, stop: () => running.stop() }
    },
    async createTable(_running, name) {
      const em = emulator!
      await em.core.tables.create({ tenantId: em.seed.tenantId, organizationId: em.seed.organizationId }, { projectId: em.seed.projectId, environment: 'dev', tableName: name, schema: { bsonType: 'object', properties: { n: { bsonType: 'number' } } } })
    },
    fill: async () => void (files.journal = 'ENOSPC'),
    free: async () => void (files.journal = null),
    dispose: cleanup,
  }
}

async function call(running: Running, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${running.url}${path}`, {
    method,
    headers: { 'x-api-key': running.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  return { status: res.status, body: await res.json() }
}

async function storedNumbers(running: Running): Promise<number[]> {
  const numbers: number[] = []
  for (let page = 1; ; page++) {
    const res = await call(running, 'GET', `/v1/data/notes?limit=100&page=${page}`)
    expect(res.status).to.equal(200)
    numbers.push(...res.body.items.map((r: any) => r.n as number))
    if (!res.body.pagination.hasNext) return numbers.sort((a, b) => a - b)
  }
}

describe('durability: a full disk', function () {
  this.timeout(60_000)
  let disk: Disk

  before(async () => {
    disk = (await tmpfsDisk()) ?? (await injectedDisk())
  })
  after(() => disk.dispose())

  it('refuses writes with 507 and keeps none of them, reports degraded health, and resumes once space is free', async () => {
    expect(disk.kind).to.be.oneOf(['tmpfs', 'injected'])
    let running = await disk.start()
    await disk.createTable(running, 'notes')
    const acknowledged: number[] = []
    const refused: number[] = []
    let n = 0
    const post = async () => {
      n += 1
      const res = await call(running, 'POST', '/v1/data/notes', { n })
      if (res.status === 201) acknowledged.push(n)
      else {
        expect(res.status, JSON.stringify(res.body)).to.equal(507)
        expect(res.body.error.code).to.equal('common/storage-full')
        expect(res.body.error.message).to.match(/disk .* is full/)
        refused.push(n)
      }
      return res.status
    }
    for (let i = 0; i < 5; i++) expect(await post()).to.equal(201)
    expect((await call(running, 'GET', '/_emulator/health')).body).to.include({ status: 'ok', storage: 'ok' })
    const issued = await call(running, 'POST', '/v1/files/presigned-url', { filename: 'big.bin', contentType: 'application/octet-stream' })
    expect(issued.status, JSON.stringify(issued.body)).to.equal(200)

    await disk.fill()
    // A real disk may still fit a few lines in the journal's last page: write until the disk says no.
    while (refused.length === 0 && n < 200) await post()
    expect(refused).to.have.length(1)
    for (let i = 0; i < 5; i++) expect(await post()).to.equal(507)
    expect((await call(running, 'GET', '/_emulator/health')).body).to.include({ status: 'degraded', storage: 'full' })
    // File bytes on a full disk are refused the same way, whether the bytes or their bookkeeping did not fit. The
    // body is small enough to be sent whole: a refused upload's unread rest is the HTTP layer's concern.
    const upload = await fetch(issued.body.url, { method: 'PUT', body: Buffer.alloc(16 * 1024, 7), headers: { 'content-type': 'application/octet-stream' } })
    const uploadBody = (await upload.json()) as any
    expect(upload.status, JSON.stringify(uploadBody)).to.equal(507)
    expect(uploadBody.error.code).to.equal('common/storage-full')
    // Nothing refused is visible, everything acknowledged is.
    expect(await storedNumbers(running)).to.deep.equal(acknowledged)

    await disk.free()
    expect(await post()).to.equal(201)
    expect((await call(running, 'GET', '/_emulator/health')).body).to.include({ status: 'ok', storage: 'ok' })
    expect(refused).to.have.length(6)

    // A clean shutdown saves memory into the snapshot; after a restart, the refused writes are still nowhere.
    await running.stop()
    running = await disk.start()
    try {
      expect(await storedNumbers(running)).to.deep.equal(acknowledged)
      expect(acknowledged.filter((a) => refused.includes(a))).to.deep.equal([])
    } finally {
      await running.stop()
    }
  })

  it('a refused write leaves no trace in the indexes beside the data: the same e-mail and unique value go in later', async () => {
    const { dir, cleanup } = await tempDir('bkend-full-')
    const files = new FailingFiles()
    const em = await createEmulator({ dataDir: dir, port: 0, storeFiles: files })
    try {
      const running: Running = { url: em.url, secretKey: em.seed.environment.secretKey, stop: () => em.stop() }
      const actor = { tenantId: em.seed.tenantId, organizationId: em.seed.organizationId }
      await em.core.tables.create(actor, { projectId: em.seed.projectId, environment: 'dev', tableName: 'members', schema: { email: { type: 'string', unique: true } } })
      const signUp = { method: 'password', email: 'full@example.com', password: 'Str0ng-Passw0rd!' }

      files.journal = 'ENOSPC'
      const refused = [await call(running, 'POST', '/v1/auth/email/signup', signUp), await call(running, 'POST', '/v1/data/members', { email: 'a@example.com' })]
      expect(refused.map((r) => [r.status, r.body.error.code])).to.deep.equal([
        [507, 'common/storage-full'],
        [507, 'common/storage-full'],
      ])

      files.journal = null
      const signedUp = await call(running, 'POST', '/v1/auth/email/signup', signUp)
      expect(signedUp.status, JSON.stringify(signedUp.body)).to.equal(201)
      const created = await call(running, 'POST', '/v1/data/members', { email: 'a@example.com' })
      expect(created.status, JSON.stringify(created.body)).to.equal(201)
      // The unique index holds the stored record only: a second one with that value is still refused.
      expect((await call(running, 'POST', '/v1/data/members', { email: 'a@example.com' })).status).to.equal(409)
      const signIn = await call(running, 'POST', '/v1/auth/email/signin', { method: 'password', email: 'full@example.com', password: 'Str0ng-Passw0rd!' })
      expect(signIn.status, JSON.stringify(signIn.body)).to.equal(200)
      expect(signIn.body.user.id).to.equal(signedUp.body.user.id)
    } finally {
      await em.stop()
      await cleanup()
    }
  })
})
