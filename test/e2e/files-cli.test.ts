/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import type { FilesDownloadResult } from '../../src/commands/files/download.js'
import type { FilesListResult } from '../../src/commands/files/list.js'
import type { FilesUploadResult } from '../../src/commands/files/upload.js'
import { BIN, runCli, spawnDev, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const MiB = 1024 * 1024
const BIG = 300 * MiB

/** Writes `size` pseudo-random bytes in 4 MiB chunks (never all in memory); resolves with their sha256. */
async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  const out = createWriteStream(path)
  for (let written = 0; written < size; ) {
    const chunk = randomBytes(Math.min(4 * MiB, size - written))
    hash.update(chunk)
    written += chunk.length
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return hash.digest('hex')
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)![1]) * 1024
}

/** Samples a process's resident memory every 50 ms until stopped; resolves with the highest value seen. */
function sampleRss(pid: number): { stop(): Promise<number> } {
  let peak = 0
  let running = true
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssBytes(pid).catch(() => 0))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return peak
    },
  }
}

/**
 * `bkend files …` against a spawned `bkend dev`: a 300 MiB multipart round trip through the signed URLs with the
 * emulator's memory watched, and the everyday commands with their documented failures.
 */
describe('e2e: bkend files against bkend dev', function () {
  this.timeout(180_000)
  let dir: string
  let cleanup: () => Promise<void>
  let dev: DevProcess
  let env: NodeJS.ProcessEnv
  let big: string
  let bigDigest: string

  before(async () => {
    ;({ dir, cleanup } = await tempDir('bkend-files-'))
    big = join(dir, 'big.bin')
    bigDigest = await writeRandomFile(big, BIG)
    await mkdir(join(dir, 'data'))
    dev = await spawnDev(['--port', '0', '--data-dir', join(dir, 'data')])
    // isolation: only this emulator, no user config or BKEND_* variable of the machine running the tests
    const clean = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('BKEND_')).map((k) => [k, undefined]))
    env = { ...clean, XDG_CONFIG_HOME: join(dir, 'config'), BKEND_DATA_DIR: join(dir, 'data') }
  })
  after(async () => {
    await dev?.stop()
    await cleanup()
  })

  const bkend = (...args: string[]) => runCli(args, { cwd: dir, env })
  async function json(...args: string[]): Promise<any> {
    const out = await bkend(...args, '--json')
    expect(out.code, `bkend ${args.join(' ')}\n${out.stderr}`).to.equal(0)
    return JSON.parse(out.stdout)
  }

  it('uploads 300 MiB as a multipart upload and downloads the same bytes, while the emulator stays flat in memory', async () => {
    const before = await rssBytes(dev.child.pid!)
    const sampler = sampleRss(dev.child.pid!)

    const up = await bkend('files', 'upload', big, '--category', 'backups')
    expect(up.code, up.stderr).to.equal(0)
    expect(up.stderr).to.match(/^Uploaded .*big\.bin \(300\.0 MiB, multipart, 19 parts, [\d.]+ [KMG]iB\/s\) as file [0-9a-f]{24} in env dev\.\n$/)
    const id = /^id\s+([0-9a-f]{24})$/m.exec(up.stdout)?.[1] as string
    expect(up.stdout).to.match(/^size\s+314572800$/m)
    expect(up.stdout).to.match(/^mimeType\s+application\/octet-stream$/m)
    expect(up.stdout).to.match(/^bucket\s+files$/m)

    const target = join(dir, 'big.copy')
    const down = (await json('files', 'download', id, target)) as FilesDownloadResult
    const peak = await sampler.stop()
    expect(down).to.deep.equal({ id, path: target, bytes: BIG, contentType: 'application/octet-stream' })
    expect(await sha256Of(target)).to.equal(bigDigest)
    // streaming end to end: the emulator never holds the file (or a part list of buffers) in memory
    expect(peak - before, `RSS grew from ${before} to ${peak} bytes`).to.be.below(100 * MiB)
    // nothing but the finished file is left beside it
    expect((await readdir(dir)).filter((name) => name.includes('big.copy'))).to.deep.equal(['big.copy'])
  })

  it('Ctrl+C during a multipart upload aborts it on the server: no part is left behind', async () => {
    const storage = join(dir, 'data', 'storage')
    const parts = async () => (await readdir(storage, { recursive: true }).catch(() => [] as string[])).filter((path) => /(^|\/)parts\/[^/]+\/\d+$/.test(path))
    expect(await parts()).to.deep.equal([])
    const child = spawn(process.execPath, [BIN, 'files', 'upload', big, '--name', 'interrupted.bin', '--part-size', '5M', '--concurrency', '1'], { cwd: dir, env: { ...process.env, ...env } })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    const exited = once(child, 'exit')
    for (let waited = 0; (await parts()).length === 0; waited += 20) {
      expect(waited, 'no part arrived within 20 s').to.be.below(20_000)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill('SIGINT')
    const [code] = await exited
    expect(code).to.equal(1)
    expect(stderr).to.include(`Error: upload of ${big} interrupted`)
    expect(stderr).to.include('Hint: the multipart upload was aborted on the server')
    expect(await parts()).to.deep.equal([])
    expect(((await json('files', 'list', '--search', 'interrupted')) as FilesListResult).items).to.deep.equal([])
  })

  it('uploads a small file in one PUT, with the type guessed from the extension, and finds it by get and list filters', async () => {
    const bytes = randomBytes(64 * 1024)
    await writeFile(join(dir, 'Logo.PNG'), bytes)
    const file = (await json('files', 'upload', 'Logo.PNG', '--visibility', 'public', '--category', 'images', '--metadata', '{"alt":"our logo","tags":["brand"]}')) as FilesUploadResult
    expect(file).to.include({ originalName: 'Logo.PNG', mimeType: 'image/png', size: bytes.length, visibility: 'public', bucket: 'images', category: 'images', ownerType: 'service' })
    expect(file.metadata).to.include({ alt: 'our logo' })
    expect(file.key).to.equal(file.s3Key)
    expect(file.publicUrl).to.be.a('string')

    expect(await json('files', 'get', file.id)).to.deep.equal(file)
    const publicImages = (await json('files', 'list', '--visibility', 'public', '--mime-type', 'image/*', '--search', 'logo')) as FilesListResult
    expect(publicImages.items.map((f) => f.id)).to.deep.equal([file.id])
    const privateOnes = (await json('files', 'list', '--visibility', 'private')) as FilesListResult
    expect(privateOnes.items.map((f) => f.id)).to.not.include(file.id)

    const piped = await new Promise<Buffer>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'files', 'download', file.id, '-'], { cwd: dir, env: { ...process.env, ...env } })
      const chunks: Buffer[] = []
      child.stdout.on('data', (c: Buffer) => chunks.push(c))
      child.on('exit', () => resolve(Buffer.concat(chunks)))
    })
    expect(piped.equals(bytes)).to.equal(true)

    const table = await bkend('files', 'list', '--search', 'logo')
    expect(table.code).to.equal(0)
    expect(table.stdout).to.match(/^Id\s+Name\s+Type\s+Size\s+Visibility\s+Bucket\s+Created\n/)
    expect(table.stdout).to.include(`${file.id}  Logo.PNG`)
    expect(table.stdout).to.include('page 1 of 1, 1 file (environment dev)')
  })

  it('deletes only with --yes when no terminal is attached; a deleted file cannot be downloaded', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello\n')
    const file = (await json('files', 'upload', 'notes.txt')) as FilesUploadResult
    expect(file).to.include({ mimeType: 'text/plain', size: 6, visibility: 'private', bucket: 'files' })

    const refused = await bkend('files', 'delete', file.id)
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('needs confirmation')
    expect(refused.stderr).to.include('Hint: pass --yes')
    expect((await json('files', 'get', file.id)).id).to.equal(file.id)

    expect(await json('files', 'delete', file.id, '--yes')).to.deep.equal({ id: file.id, deleted: true })
    const gone = await bkend('files', 'download', file.id, join(dir, 'notes.copy'))
    expect(gone.code).to.equal(1)
    expect(gone.stderr).to.match(/^Error: .*not/)
    expect(gone.stderr).to.include("Hint: list the environment's file ids with 'bkend files list'")
    const asJson = await bkend('files', 'get', file.id, '--json')
    expect(asJson.stdout).to.equal('')
    expect(JSON.parse(asJson.stderr).error.code).to.equal('file/not-found')
  })

  for (const [name, args, message] of [
    ['a missing file to upload', ['files', 'upload', 'does-not-exist.bin'], 'Error: cannot read does-not-exist.bin: no such file'],
    ['a directory to upload', ['files', 'upload', '.'], 'Error: . is not a regular file'],
    ['a part size below 5 MiB', ['files', 'upload', 'notes.txt', '--part-size', '1M'], 'Error: --part-size 1M is outside 5M–5G'],
    ['an unknown visibility', ['files', 'upload', 'notes.txt', '--visibility', 'secret'], 'Expected --visibility=secret to be one of'],
  ] as const) {
    it(`refuses ${name} with a message and a hint, before anything is sent`, async () => {
      const out = await bkend(...args)
      expect(out.code).to.be.oneOf([1, 2])
      expect(out.stdout).to.equal('')
      expect(out.stderr).to.include(message)
      expect(out.stderr).to.match(/Hint: |See: /)
    })
  }

  it('downloads into dir/ (created when missing) under the stored name, refusing to replace a file without --force', async () => {
    await writeFile(join(dir, 'report.txt'), 'the original')
    const file = (await json('files', 'upload', 'report.txt')) as FilesUploadResult
    const into = join(dir, 'downloads', 'today')

    const first = (await json('files', 'download', file.id, 'downloads/today/')) as FilesDownloadResult
    expect(first).to.include({ path: join('downloads', 'today', 'report.txt'), bytes: 12 })
    expect(await readFile(join(into, 'report.txt'), 'utf8')).to.equal('the original')

    // a second download into the same place is refused before any byte moves: the local edit survives
    await writeFile(join(into, 'report.txt'), 'edited locally')
    const existing = join('downloads', 'today', 'report.txt')
    for (const [path, shown] of [['downloads/today/', existing], ['downloads/today', existing], [join(into, 'report.txt'), join(into, 'report.txt')]] as const) {
      const again = await bkend('files', 'download', file.id, path)
      expect(again.code, path).to.equal(1)
      expect(again.stderr, path).to.include(`Error: ${shown} already exists`)
      expect(again.stderr, path).to.include('Hint: pass --force to replace it')
    }
    expect(await readFile(join(into, 'report.txt'), 'utf8')).to.equal('edited locally')

    const forced = await bkend('files', 'download', file.id, 'downloads/today/', '--force')
    expect(forced.code, forced.stderr).to.equal(0)
    expect(forced.stderr).to.match(/^Downloaded report\.txt from env dev \(12 B, .*\) to downloads\/today\/report\.txt\.\n$/)
    expect(await readFile(join(into, 'report.txt'), 'utf8')).to.equal('the original')
    expect(await readdir(into)).to.deep.equal(['report.txt'])

    const underFile = await bkend('files', 'download', file.id, 'report.txt/copy.txt')
    expect(underFile.code).to.equal(1)
    expect(underFile.stderr).to.include('Error: cannot write report.txt/copy.txt: a parent is not a directory')
    const slashOnFile = await bkend('files', 'download', file.id, 'report.txt/')
    expect(slashOnFile.code).to.equal(1)
    expect(slashOnFile.stderr).to.include('Error: report.txt/ is not a directory')
    expect(await readFile(join(dir, 'report.txt'), 'utf8')).to.equal('the original')
  })

  it('refuses to download into a directory that does not exist, leaving nothing behind', async () => {
    await writeFile(join(dir, 'kept.txt'), 'kept')
    const file = (await json('files', 'upload', 'kept.txt')) as FilesUploadResult
    const out = await bkend('files', 'download', file.id, join(dir, 'no', 'such', 'dir', 'kept.txt'))
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('no such directory')
    expect(out.stderr).to.include('Hint: check that the directory exists')
  })
})
