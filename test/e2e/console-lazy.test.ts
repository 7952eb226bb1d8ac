import { expect } from 'chai'
import { devWithModuleLog } from '../helpers/module-log.js'
import { tempDir } from '../helpers/tmp.js'
const CONSOLE = '/dist/emulator/http/console/'

describe('e2e: the console loads on its first request, not at start-up', function () {
  this.timeout(30_000)

  it('bkend dev serves without the console pages; the first signed-in /_/ request loads them', async () => {
    const { dir, cleanup } = await tempDir()
    const dev = await devWithModuleLog<{ url: string; consoleUrl: string }>(dir)
    try {
      const { ready } = dev
      const loaded = async () => (await dev.loaded()).filter((url) => url.includes(CONSOLE)).map((url) => url.slice(url.indexOf(CONSOLE) + CONSOLE.length))
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
      await dev.stop()
      await cleanup()
    }
  })
})
