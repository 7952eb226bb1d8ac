import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const HOOK = fileURLToPath(new URL('../fixtures/module-log.mjs', import.meta.url))
const CONSOLE = '/dist/emulator/http/console/'

describe('e2e: the console loads on its first request, not at start-up', function () {
  this.timeout(30_000)

  it('bkend dev serves without the console pages; the first signed-in /_/ request loads them', async () => {
    const { dir, cleanup } = await tempDir()
    const log = join(dir, 'modules.log')
    const child = spawn(process.execPath, ['--import', HOOK, BIN, 'dev', '--json', '--port', '0', '--data-dir', join(dir, 'data')], { env: { ...process.env, BKEND_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'ignore'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      let out = ''
      const ready = await new Promise<{ url: string; consoleUrl: string }>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string))
        }),
      )
      const loaded = async () => (await readFile(log, 'utf8')).trim().split('\n').filter((url) => url.includes(CONSOLE)).map((url) => url.slice(url.indexOf(CONSOLE) + CONSOLE.length))
      const atStart = await loaded()
      expect(atStart).to.include('route.js')
      for (const module of ['console.js', 'layout.js', 'pages.js', 'assets.js']) expect(atStart, module).to.not.include(module)
      expect(atStart.filter((m) => m.startsWith('pages/'))).to.deep.equal([])

      const signIn = await fetch(ready.consoleUrl, { redirect: 'manual' })
      const cookie = (signIn.headers.get('set-cookie') as string).split(';', 1)[0] as string
      const overview = await fetch(`${ready.url}/_/o/local`, { headers: { cookie } })
      expect(overview.status).to.equal(200)
      expect(await overview.text()).to.include('id="projects"')
      const after = await loaded()
      for (const module of ['console.js', 'layout.js', 'pages.js', 'pages/overview.js', 'pages/records.js']) expect(after, module).to.include(module)
    } finally {
      child.kill('SIGTERM')
      await exited
      await cleanup()
    }
  })
})
