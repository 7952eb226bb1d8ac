import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const HOOK = fileURLToPath(new URL('../fixtures/module-log.mjs', import.meta.url))
const HEAVY = ['/node_modules/fastify/', '/node_modules/ink/', '/node_modules/react/', '/dist/emulator/']

/** The module URLs a CLI run resolved. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const { dir, cleanup } = await tempDir()
  const log = join(dir, 'modules.log')
  try {
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], { env: { ...process.env, BKEND_MODULE_LOG: log }, stdio: 'ignore' })
      child.on('exit', () => resolve())
    })
    return (await readFile(log, 'utf8')).trim().split('\n')
  } finally {
    await cleanup()
  }
}

describe('e2e: start-up stays light', function () {
  this.timeout(30_000)

  for (const args of [['--version'], ['projects', 'list', '--data-dir', '/nonexistent', '--json'], ['data', 'list', 'posts', '--data-dir', '/nonexistent', '--json'], ['users', 'list', '--data-dir', '/nonexistent'], ['files', 'upload', 'package.json', '--data-dir', '/nonexistent']]) {
    it(`bkend ${args.join(' ')} loads neither fastify, ink, React nor the emulator`, async () => {
      const modules = await modulesLoadedBy(args)
      expect(modules.length).to.be.greaterThan(5)
      for (const heavy of HEAVY) expect(modules.filter((url) => url.includes(heavy)), heavy).to.deep.equal([])
    })
  }

  for (const json of [true, false]) {
    it(`bkend dev ${json ? '--json' : 'piped'} serves requests without loading ink or React (the dashboard is for terminals)`, async () => {
      const { dir, cleanup } = await tempDir()
      const log = join(dir, 'modules.log')
      try {
        const child = spawn(process.execPath, ['--import', HOOK, BIN, 'dev', '--port', '0', '--data-dir', join(dir, 'data'), ...(json ? ['--json'] : [])], { env: { ...process.env, BKEND_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'ignore'] })
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
        let out = ''
        const url = await new Promise<string>((resolve) =>
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString()
            const found = /"url":"([^"]+)"|ready on (\S+)/.exec(out)
            if (found) resolve((found[1] ?? found[2])!)
          }),
        )
        expect((await fetch(`${url}/v1/data/posts`)).status).to.equal(401)
        child.kill('SIGTERM')
        expect(await exited).to.equal(0)
        const modules = (await readFile(log, 'utf8')).trim().split('\n')
        expect(modules.some((m) => m.includes('/dist/emulator/server.js'))).to.equal(true)
        // ui/format holds plain functions (no React), shared by plain output; every other ui module is ink
        const ui = modules.filter((m) => m.includes('/dist/ui/') && !m.endsWith('/dist/ui/format.js'))
        expect(ui, '/dist/ui/ beyond format.js').to.deep.equal([])
        for (const heavy of ['/node_modules/ink/', '/node_modules/react/']) expect(modules.filter((m) => m.includes(heavy)), heavy).to.deep.equal([])
      } finally {
        await cleanup()
      }
    })
  }

  it('bkend dev does load the emulator (the hook sees what a command loads)', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      // A locked data dir makes dev stop right after loading the emulator.
      const { writeFile } = await import('node:fs/promises')
      await writeFile(join(dir, 'bkend.lock'), `${process.pid}\n`)
      const modules = await modulesLoadedBy(['dev', '--port', '0', '--data-dir', dir])
      expect(modules.some((url) => url.includes('/dist/emulator/server.js'))).to.equal(true)
      expect(modules.some((url) => url.includes('/node_modules/fastify/'))).to.equal(true)
      // sharp (native image code) waits for the first image transform.
      expect(modules.filter((url) => url.includes('/node_modules/sharp/'))).to.deep.equal([])
    } finally {
      await cleanup()
    }
  })
})
