// An emulator with or without the live dashboard drawing on a null terminal (120×40, every byte counted and
// dropped), so the benchmark measures what rendering costs the server and not what a terminal emulator costs.
// Prints the ready event, then answers `start` (reset the counts) and `report` (one JSON line) on stdin.
import { PassThrough, Writable } from 'node:stream'
import { createInterface } from 'node:readline'
import { createEmulator } from '../src/emulator/server.js'

class NullTerminal extends Writable {
  readonly isTTY = true
  readonly columns = 120
  readonly rows = 40
  writes = 0
  bytes = 0
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.writes++
    this.bytes += chunk.length
    done()
  }
}

const [dataDir, mode] = process.argv.slice(2)
const emulator = await createEmulator({ dataDir: dataDir!, port: 0 })
const terminal = new NullTerminal()
let dashboard: { close(): void } | undefined
if (mode === 'on') {
  const { showDevDashboard } = await import('../src/cli/dev-dashboard.js')
  const { ready } = emulator
  dashboard = await showDevDashboard(emulator, { ...ready, faults: undefined, environment: ready.environments[0]!, dataDir: dataDir! }, () => undefined, {
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
  })
}
const mark = () => ({ at: performance.now(), head: emulator.core.requestLog.head, writes: terminal.writes, cpu: process.cpuUsage() })
let since = mark()

process.stdout.write(JSON.stringify(emulator.ready) + '\n')
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') since = mark()
  else if (line === 'report') {
    const seconds = (performance.now() - since.at) / 1000
    const perSecond = (n: number) => Math.round(n / seconds)
    const events = emulator.core.requestLog.head - since.head
    const cpu = process.cpuUsage(since.cpu)
    process.stdout.write(JSON.stringify({ eventsPerSecond: perSecond(events), writesPerSecond: perSecond(terminal.writes - since.writes), cpuUsPerRequest: Math.round(((cpu.user + cpu.system) / events) * 10) / 10 }) + '\n')
  }
}
dashboard?.close()
await emulator.stop()
