import type { ReadyEvent } from '../src/contract/emulator.js'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { BIN, median, spawnReady, stopChild } from './lib.js'

const RUNS = 30
const GRID = '/_/o/local/p/local/e/dev/tables/posts/records'

/** Signs in with the one-time URL of the ready line and returns the session cookie. */
async function sessionCookie(consoleUrl: string): Promise<string> {
  const response = await fetch(consoleUrl, { redirect: 'manual' })
  const cookie = response.headers.get('set-cookie')
  if (!cookie) throw new Error(`console sign-in answered ${response.status} without a cookie`)
  return cookie.split(';', 1)[0] as string
}

/** Wall time of one console page, as the browser waits for it (request to last byte). */
async function pageMs(url: string, cookie: string): Promise<number> {
  const started = performance.now()
  const response = await fetch(url, { headers: { cookie } })
  const html = await response.text()
  const ms = performance.now() - started
  if (response.status !== 200 || !html.includes('id="records"')) throw new Error(`${url} answered ${response.status}`)
  return ms
}

/** The records grid of the console: a page of 50 records from a table of 100,000, as `bkend dev` serves it. */
export async function consoleBench(): Promise<Row[]> {
  const big = await seed(100_000)
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', big.dir])
  try {
    const cookie = await sessionCookie(dev.ready.consoleUrl)
    // The first read of a large table builds its in-memory index maps for any client (the data API's figures
    // cover it); touching it once through REST leaves the console's own first cost: loading its modules.
    await fetch(`${dev.ready.url}/v1/data/posts?limit=1`, { headers: { 'X-API-Key': dev.ready.environments[0]!.secretKey } })
    const rows: Row[] = []
    const views: Array<[string, string]> = [
      ['first page, newest first', `${GRID}?limit=50`],
      ['sorted by an unindexed field (score ascending)', `${GRID}?limit=50&sort=score&dir=asc`],
      ['filtered on an indexed field (category = c7, 2,000 matches)', `${GRID}?limit=50&field=category&op=eq&value=c7`],
      ['page 1,000 of 2,000', `${GRID}?limit=50&page=1000`],
    ]
    const first = await pageMs(`${dev.ready.url}${views[0]![1]}`, cookie)
    rows.push({ what: 'console records grid, the first console request after start (loads the console modules; table already read once)', value: `${first.toFixed(0)} ms`, baseline: '—', ratio: '—', target: '≤ 200 ms' })
    for (const [what, path] of views) {
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) times.push(await pageMs(`${dev.ready.url}${path}`, cookie))
      rows.push({ what: `console records grid of 50 from 100,000 records: ${what} (median of ${RUNS})`, value: `${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)} ms)`, baseline: '—', ratio: '—', target: '≤ 200 ms' })
    }
    return rows
  } finally {
    await stopChild(dev.child)
  }
}
