import { expect } from 'chai'
import type { FastifyInstance } from 'fastify'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildApp } from '../../src/emulator/http/app.js'
import { silentLogger } from '../../src/emulator/logger.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

const SERVER = new URL('../../dist/emulator/server.js', import.meta.url).href

// Fastify's own schema compilers (ajv, fast-json-stringify) are loaded when a route first declares a schema, not
// when the server starts: no emulator route declares one, and loading them was a tenth of `bkend dev`'s start.
describe('http: fastify schema compilers load on first use', function () {
  this.timeout(20_000)

  it('a started emulator has loaded neither ajv nor the fast-json-stringify compiler', async () => {
    // A fresh process: this test process has long since loaded ajv for the data layer.
    const script = `
      import { createRequire } from 'node:module'
      import { mkdtempSync } from 'node:fs'
      import { tmpdir } from 'node:os'
      import { join } from 'node:path'
      const { createEmulator } = await import(${JSON.stringify(SERVER)})
      const emulator = await createEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'bkend-compilers-')) })
      const health = await fetch(emulator.url + '/_emulator/health')
      const loaded = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify({ status: health.status, ajv: loaded.some((p) => p.includes('/node_modules/ajv/')), serializer: loaded.some((p) => p.endsWith('/node_modules/fast-json-stringify/index.js')), fastify: loaded.some((p) => p.includes('/node_modules/fastify/')) }))
      await emulator.stop()
    `
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] })
      let text = ''
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`child exited ${code}`))))
    })
    // (fastify's error serializer does load fast-json-stringify's small runtime; its compiler is the heavy part.)
    // fastify itself shows the check sees CommonJS modules at all.
    expect(JSON.parse(output)).to.deep.equal({ status: 200, ajv: false, serializer: false, fastify: true })
  })

  describe('a route that declares schemas', () => {
    let emu: TestEmulator
    let app: FastifyInstance
    let url: string
    before(async () => {
      emu = await startEmulator()
      app = await buildApp(emu.core, { version: 'test', startedAt: new Date().toISOString(), logger: silentLogger, rateLimit: { enabled: false, limit: 100 }, oauthAutoApprove: false, cloudParity: false }, [
        {
          surface: 'data',
          extension: false,
          register: ({ app }) => {
            app.post('/schema-check', {
              schema: {
                body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
                response: { 200: { type: 'object', properties: { greeting: { type: 'string' } } } },
              },
            }, async (request) => ({ greeting: `hello ${(request.body as { name: string }).name}`, internal: 'not in the response schema' }))
          },
        },
      ])
      url = await app.listen({ host: '127.0.0.1', port: 0 })
    })
    after(async () => {
      await app.close()
      await emu.dispose()
    })

    const post = (body: unknown) => fetch(`${url}/schema-check`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

    it('validates the body with ajv (400 in the error envelope)', async () => {
      const response = await post({ name: '' })
      expect(response.status).to.equal(400)
      const body = (await response.json()) as { success: boolean; error: { code: string } }
      expect(body.success).to.equal(false)
      expect(body.error.code).to.equal('common/invalid-parameters')
    })

    it('serializes the reply with the response schema', async () => {
      const response = await post({ name: 'Ada' })
      expect(response.status).to.equal(200)
      expect(await response.json()).to.deep.equal({ greeting: 'hello Ada' })
    })
  })
})
