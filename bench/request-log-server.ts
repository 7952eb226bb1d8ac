// An emulator with the request log as `bkend dev --json` runs it (`on`: every request appended to the ring and
// printed as a JSON line on stdout), with the ring alone (`ring`: what `bkend dev` on a terminal costs before any
// rendering), or without it (`off`: no hook, no output). Prints the ready event first.
import { startRequestOutput } from '../src/cli/dev-request-output.js'
import { silentLogger } from '../src/emulator/logger.js'
import { createEmulator } from '../src/emulator/server.js'

const [dataDir, mode] = process.argv.slice(2)
const on = mode === 'on'
const emulator = await createEmulator({ dataDir: dataDir!, port: 0, requestLog: { enabled: mode !== 'off' } })
process.stdout.write(JSON.stringify(emulator.ready) + '\n')
const output = on ? startRequestOutput(emulator.core.requestLog, { json: true, logger: silentLogger }) : undefined
process.once('SIGTERM', () => {
  void emulator.stop().then(() => output?.stop())
})
