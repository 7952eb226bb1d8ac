import type { ReadyEvent } from '../src/contract/emulator.js'
import { tenantPrincipal } from '../src/emulator/core/principal.js'
import { createEmulator } from '../src/emulator/server.js'
import type { Row } from './foundation.js'
import { BIN, ROOT, load, ratio, rssMb, spawnReady, stopChild, tempDataDir } from './lib.js'
import { join } from 'node:path'

const CATEGORIES = 50

/** Builds a data directory (a new temporary one unless given) holding a `posts` table with `count` records (indexed `category`), then stops. */
export async function seed(count: number, dir?: string): Promise<{ dir: string; ids: string[] }> {
  dir ??= await tempDataDir()
  const emulator = await createEmulator({ dataDir: dir, port: 0 })
  const actor = { tenantId: emulator.seed.tenantId, organizationId: emulator.seed.organizationId }
  const view = await emulator.core.tables.create(actor, {
    projectId: emulator.seed.projectId,
    environment: 'dev',
    tableName: 'posts',
    schema: { title: { type: 'string', required: true, maxLength: 200 }, category: { type: 'string' }, score: { type: 'number', minimum: 0 }, published: { type: 'boolean' } },
  })
  await emulator.core.tables.indexManage(actor, view.id, { indexesToAddOrUpdate: [{ name: 'category_1', fields: { category: 1 } }] })
  const table = emulator.core.tables.locate(actor, view.id).table
  const admin = tenantPrincipal()
  const ids: string[] = []
  for (let start = 0; start < count; start += 2000) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(2000, count - start) }, (_, j) => {
        const i = start + j
        return emulator.core.records.create(table, admin, { title: `Post number ${i}`, category: `c${i % CATEGORIES}`, score: i, published: i % 2 === 0 })
      }),
    )
    for (const record of batch) ids.push(record.id)
  }
  await emulator.stop()
  return { dir, ids }
}

/** The data API on 100,000 records against a bare node:http server in the same run (issue targets in `target`). */
export async function data(seconds: number): Promise<Row[]> {
  const rows: Row[] = []
  const big = await seed(100_000)
  const small = await seed(1_000)
  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-server.mjs')])
  const started = performance.now()
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', big.dir])
  const readyMs = performance.now() - started
  const devSmall = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', small.dir])
  try {
    const key = dev.ready.environments[0]!.secretKey
    const headers = { 'X-API-Key': key }
    const url = dev.ready.url
    rows.push({ what: '`bkend dev` ready with 100,000 records (incl. process start)', value: `${readyMs.toFixed(0)} ms`, baseline: '—', ratio: '—', target: '≤ 1500 ms' })
    // Touch the table once so its index maps exist, then measure memory.
    await fetch(`${url}/v1/data/posts?limit=1&andFilters=${encodeURIComponent('{"category":"c1"}')}`, { headers })
    rows.push({ what: 'RSS with 100,000 records', value: `${(await rssMb(dev.child.pid!)).toFixed(0)} MB`, baseline: '—', ratio: '—', target: '≤ 250 MB' })

    // Each read is compared with the bare server answering the very bytes the emulator returned for it, so the
    // ratio is the cost of the emulator's work, not of the payload's size.
    const sameBytes = async (path: string) => {
      const text = await (await fetch(`${url}${path}`, { headers })).text()
      await fetch(`${bare.ready.url}/_body`, { method: 'PUT', body: text })
      return load({ url: `${bare.ready.url}/`, seconds })
    }
    const postBody = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
    const barePost = await load({ url: `${bare.ready.url}/`, method: 'POST', body: postBody, headers: { 'content-type': 'application/json' }, seconds })

    const paths = Array.from({ length: 5000 }, (_, i) => `/v1/data/posts/${big.ids[(i * 7919) % big.ids.length]}`)
    const bareById = await sameBytes(paths[0]!)
    const byId = await load({ url, headers, seconds, paths })
    rows.push({ what: 'GET /v1/data/posts/:id (rotating ids), 50 connections', value: `${byId.requests.toFixed(0)} req/s (p99 ${byId.p99} ms)`, baseline: `${bareById.requests.toFixed(0)} req/s`, ratio: ratio(byId.requests, bareById.requests), target: '≥ 50 %, p99 ≤ 10 ms' })

    const indexedPath = `/v1/data/posts?limit=20&andFilters=${encodeURIComponent('{"category":"c7"}')}`
    const bareIndexed = await sameBytes(indexedPath)
    const indexed = await load({ url: `${url}${indexedPath}`, headers, seconds })
    rows.push({ what: 'filtered page on an indexed field (2,000 matches)', value: `${indexed.requests.toFixed(0)} req/s (p99 ${indexed.p99} ms)`, baseline: `${bareIndexed.requests.toFixed(0)} req/s`, ratio: ratio(indexed.requests, bareIndexed.requests), target: '≥ 25 %' })

    const scan = await load({ url: `${url}/v1/data/posts?limit=20&andFilters=${encodeURIComponent('{"score":{"$gte":50000},"published":true}')}`, headers, seconds, connections: 10 })
    rows.push({ what: 'filtered page by scan over 100,000 records', value: `${scan.requests.toFixed(0)} req/s (p99 ${scan.p99} ms)`, baseline: '—', ratio: '—', target: '≥ 400 req/s' })

    const list = await load({ url: `${url}/v1/data/posts`, headers, seconds, connections: 10 })
    rows.push({ what: 'default list page (newest 20 of 100,000)', value: `${list.requests.toFixed(0)} req/s (p99 ${list.p99} ms)`, baseline: '—', ratio: '—', target: '—' })

    const postHeaders = { ...headers, 'content-type': 'application/json' }
    const postSmall = await load({ url: `${devSmall.ready.url}/v1/data/posts`, method: 'POST', body: postBody, headers: { ...postHeaders, 'X-API-Key': devSmall.ready.environments[0]!.secretKey }, seconds })
    const postBig = await load({ url: `${url}/v1/data/posts`, method: 'POST', body: postBody, headers: postHeaders, seconds })
    for (const r of [byId, indexed, scan, list, postSmall, postBig]) if (r.non2xx > 0 || r.errors > 0) throw new Error(`a data benchmark got ${r.non2xx} non-2xx and ${r.errors} errors`)
    rows.push({ what: 'POST /v1/data/posts (validated, journaled), 100,000 records', value: `${postBig.requests.toFixed(0)} req/s (p99 ${postBig.p99} ms)`, baseline: `${barePost.requests.toFixed(0)} req/s`, ratio: ratio(postBig.requests, barePost.requests), target: '≥ 30 %' })
    rows.push({ what: 'POST at 100,000 records vs at 1,000', value: `${postBig.requests.toFixed(0)} vs ${postSmall.requests.toFixed(0)} req/s`, baseline: '—', ratio: `${(postBig.requests / postSmall.requests).toFixed(2)}×`, target: '≥ 0.8×' })
  } finally {
    await stopChild(bare.child)
    await stopChild(dev.child)
    await stopChild(devSmall.child)
  }
  return rows
}
