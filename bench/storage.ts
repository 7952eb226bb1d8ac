import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'
import { Agent, request } from 'undici'
import type { ReadyEvent } from '../src/contract/emulator.js'
import type { Row } from './foundation.js'
import { BIN, ROOT, median, ratio, rssMb, runMeasured, spawnReady, stopChild, tempDataDir } from './lib.js'

const MiB = 1024 * 1024
const OBJECT = 64 * MiB
const CONCURRENT = 4
/** Objects per measured run, one per concurrent stream. */
const OBJECTS = CONCURRENT
/** Measured runs per side, alternating which side goes first; the medians are compared. */
const ROUNDS = 5
const CLI_FILE = 256 * MiB
/** A smaller multipart upload, to show the CLI's memory does not follow the file's size. */
const CLI_SMALL = 80 * MiB

async function writeRandom(path: string, size: number): Promise<void> {
  const out = createWriteStream(path)
  for (let written = 0; written < size; written += 4 * MiB) if (!out.write(randomBytes(Math.min(4 * MiB, size - written)))) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}

/** Runs `jobs` CONCURRENT at a time and returns MiB/s over the wall time of all of them. */
async function throughput(jobs: Array<() => Promise<number>>): Promise<number> {
  const started = performance.now()
  let next = 0
  let bytes = 0
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < jobs.length) bytes += await jobs[next++]!()
    }),
  )
  return bytes / MiB / ((performance.now() - started) / 1000)
}

/**
 * Medians over ROUNDS runs of each side, alternating which goes first, so a busy moment on a shared machine lands
 * on both sides alike instead of deciding the ratio.
 */
async function alternate(bare: () => Promise<number>, emulator: () => Promise<number>): Promise<{ bare: number; emulator: number }> {
  const bares: number[] = []
  const emulators: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) bares.push(await bare())
    emulators.push(await emulator())
    if (round % 2 === 1) bares.push(await bare())
  }
  return { bare: median(bares), emulator: median(emulators) }
}

/** The signed-URL side of the storage API against a bare node:http file server on the same disk, same run. */
export async function storage(): Promise<Row[]> {
  const rows: Row[] = []
  const work = await tempDataDir()
  const source = join(work, 'object.bin')
  await writeRandom(source, OBJECT)
  await mkdir(join(work, 'bare'))
  const agent = new Agent({ connections: CONCURRENT })
  const put = async (url: string) => {
    const response = await request(url, { dispatcher: agent, method: 'PUT', body: createReadStream(source, { highWaterMark: MiB }), headers: { 'content-length': String(OBJECT), 'content-type': 'application/octet-stream' } })
    await response.body.dump()
    if (response.statusCode !== 200) throw new Error(`PUT answered ${response.statusCode}`)
    return OBJECT
  }
  const get = async (url: string) => {
    const response = await request(url, { dispatcher: agent })
    if (response.statusCode !== 200) throw new Error(`GET answered ${response.statusCode}`)
    let bytes = 0
    for await (const chunk of response.body) bytes += (chunk as Buffer).length
    return bytes
  }

  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-file-server.mjs'), join(work, 'bare')])
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', join(work, 'dev')])
  try {
    const api = async <T>(method: 'POST', path: string, body: unknown): Promise<T> => {
      const response = await request(`${dev.ready.url}${path}`, { method, headers: { 'x-api-key': dev.ready.environments[0]!.secretKey, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const parsed = (await response.body.json()) as T
      if (response.statusCode >= 300) throw new Error(`${path} answered ${response.statusCode}: ${JSON.stringify(parsed)}`)
      return parsed
    }
    const bareUrls = Array.from({ length: OBJECTS }, (_, i) => `${bare.ready.url}/object-${i}.bin`)
    // Upload URLs are issued before the clock starts: the ratio is about moving bytes, the API calls are measured by
    // the other suites. Every round PUTs to the same URLs, replacing the bytes, as the bare server overwrites the same
    // files: both sides then leave the same amount of data for the disk to write back.
    const issued = await Promise.all(
      Array.from({ length: OBJECTS }, (_, i) => api<{ url: string; key: string }>('POST', '/v1/files/presigned-url', { filename: `object-${i}.bin`, contentType: 'application/octet-stream', fileSize: OBJECT })),
    )

    const rssBefore = await rssMb(dev.child.pid!)
    let rssPeak = rssBefore
    const poll = setInterval(() => void rssMb(dev.child.pid!).then((mb) => (rssPeak = Math.max(rssPeak, mb))), 50)

    const puts = await alternate(
      () => throughput(bareUrls.map((url) => () => put(url))),
      () => throughput(issued.map(({ url }) => () => put(url))),
    )
    rows.push({ what: `PUT ${OBJECT / MiB} MiB objects to signed upload URLs, ${CONCURRENT} at a time (median of ${ROUNDS})`, value: `${puts.emulator.toFixed(0)} MiB/s`, baseline: `${puts.bare.toFixed(0)} MiB/s`, ratio: ratio(puts.emulator, puts.bare), target: '≥ 50 %' })

    const files = await Promise.all(issued.map(({ key }, i) => api<{ id: string }>('POST', '/v1/files', { s3Key: key, originalName: `object-${i}.bin`, mimeType: 'application/octet-stream', size: OBJECT })))
    const downloads = await Promise.all(files.map(({ id }) => api<{ url: string }>('POST', `/v1/files/${id}/download-url`, {})))
    const gets = await alternate(
      () => throughput(bareUrls.map((url) => () => get(url))),
      () => throughput(downloads.map(({ url }) => () => get(url))),
    )
    rows.push({ what: `GET ${OBJECT / MiB} MiB objects from signed download URLs, ${CONCURRENT} at a time (median of ${ROUNDS})`, value: `${gets.emulator.toFixed(0)} MiB/s`, baseline: `${gets.bare.toFixed(0)} MiB/s`, ratio: ratio(gets.emulator, gets.bare), target: '≥ 50 %' })

    // The CLI end to end: a process start, presign, multipart parts from disk, complete, register; then download.
    const big = join(work, 'cli.bin')
    await writeRandom(big, CLI_FILE)
    const env = { BKEND_DATA_DIR: join(work, 'dev') }
    const upMs = await runMeasured([BIN, 'files', 'upload', big, '--json'], env)
    const id = (JSON.parse(upMs.stdout) as { id: string }).id
    const upRate = CLI_FILE / MiB / (upMs.ms / 1000)
    rows.push({ what: `\`bkend files upload\` of ${CLI_FILE / MiB} MiB (multipart, 16 MiB parts, 4 at a time, incl. CLI start)`, value: `${upRate.toFixed(0)} MiB/s`, baseline: `${puts.bare.toFixed(0)} MiB/s (bare PUT)`, ratio: ratio(upRate, puts.bare), target: '—' })
    const downMs = await runMeasured([BIN, 'files', 'download', id, join(work, 'cli.copy'), '--json'], env)
    const downRate = CLI_FILE / MiB / (downMs.ms / 1000)
    rows.push({ what: `\`bkend files download\` of ${CLI_FILE / MiB} MiB to disk (incl. CLI start)`, value: `${downRate.toFixed(0)} MiB/s`, baseline: `${gets.bare.toFixed(0)} MiB/s (bare GET)`, ratio: ratio(downRate, gets.bare), target: '—' })

    const small = join(work, 'cli-small.bin')
    await writeRandom(small, CLI_SMALL)
    const smallUp = await runMeasured([BIN, 'files', 'upload', small, '--json'], env)
    rows.push({ what: `peak RSS of the uploading CLI, ${CLI_FILE / MiB} MiB vs ${CLI_SMALL / MiB} MiB (both multipart)`, value: `${upMs.peakMb.toFixed(0)} vs ${smallUp.peakMb.toFixed(0)} MB`, baseline: '—', ratio: `${(upMs.peakMb / smallUp.peakMb).toFixed(2)}×`, target: 'flat' })
    rows.push({ what: `peak RSS of the downloading CLI, ${CLI_FILE / MiB} MiB`, value: `${downMs.peakMb.toFixed(0)} MB`, baseline: '—', ratio: '—', target: '—' })
    clearInterval(poll)
    rows.push({ what: 'emulator RSS growth over all of the above', value: `${(rssPeak - rssBefore).toFixed(0)} MB (${rssBefore.toFixed(0)} → ${rssPeak.toFixed(0)} MB)`, baseline: '—', ratio: '—', target: '≤ 100 MB' })
  } finally {
    await agent.close()
    await stopChild(bare.child)
    await stopChild(dev.child)
    await rm(work, { recursive: true, force: true })
  }
  return rows
}
