import type { Row } from './foundation.js'
import { BIN, medianRunMs } from './lib.js'

const RUNS = 7

/** The developer loop: `bkend dev exec -- true` end to end (start an emulator on a fresh data dir, run, stop, clean up). */
export async function devLoop(): Promise<Row[]> {
  const version = await medianRunMs([BIN, '--version'], RUNS)
  const exec = await medianRunMs([BIN, 'dev', 'exec', '--', 'true'], RUNS)
  return [{ what: `\`bkend dev exec -- true\`, no config or seed (median of ${RUNS})`, value: `${exec.toFixed(0)} ms`, baseline: `${version.toFixed(0)} ms (\`bkend --version\`)`, ratio: `${(exec / version).toFixed(2)}×`, target: '≤ 1.5 s' }]
}
