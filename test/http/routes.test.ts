import { expect } from 'chai'
import Fastify, { type HTTPMethods } from 'fastify'
import { RateLimiter } from '../../src/emulator/http/middleware/rate-limit.js'
import { ROUTES } from '../../src/emulator/http/routes.js'
import type { SurfaceRoutes } from '../../src/emulator/http/surface.js'
import { silentLogger } from '../../src/emulator/logger.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

type Route = { method: HTTPMethods; url: string }

// The route list is the one place routes are registered, and it says which are emulator extensions.
describe('http: the route list', () => {
  let emu: TestEmulator
  const registered = new Map<SurfaceRoutes, Route[]>()

  before(async () => {
    emu = await startEmulator()
    const options = { version: 'test', startedAt: new Date().toISOString(), logger: silentLogger, rateLimit: { enabled: false, limit: 100 }, oauthAutoApprove: false, cloudParity: false }
    for (const entry of ROUTES) {
      // Each entry alone on a bare instance shows exactly the routes it registers.
      const app = Fastify()
      const routes: Route[] = []
      app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url })
      })
      await entry.register({ app, core: emu.core, limiter: new RateLimiter(options.rateLimit, () => 0), options })
      await app.ready()
      await app.close()
      registered.set(entry, routes)
    }
  })
  after(() => emu.dispose())

  it('lists every surface, and every entry registers routes', () => {
    expect(new Set(ROUTES.map((entry) => entry.surface))).to.deep.equal(new Set(['control', 'auth', 'users', 'files', 'data', 'oauth', 'mcp', 'console']))
    expect(registered.size).to.equal(ROUTES.length)
    for (const [entry, routes] of registered) expect(routes.length, `${entry.surface}: ${entry.register.name}`).to.be.greaterThan(0)
  })

  it('extensions register only /_emulator/ and console (/_/) routes, and nothing else registers one', () => {
    const extensions = ROUTES.filter((entry) => entry.extension)
    expect(extensions.map((entry) => entry.register.name)).to.deep.equal(['registerControl', 'registerMailbox', 'registerDevState', 'registerPush', 'registerLogs', 'registerFaults', 'registerFakeIdp', 'registerInvitationPage', 'registerStorage', 'registerBulkData', 'registerConsoleSignIn', 'registerConsole', 'registerOrgInvitationPage'])
    for (const [entry, routes] of registered) {
      for (const { method, url } of routes) expect(url.startsWith('/_emulator/') || url === '/_' || url.startsWith('/_/'), `${entry.register.name}: ${method} ${url}`).to.equal(entry.extension)
    }
  })

  it('the running emulator serves every route of the list', () => {
    const all = [...registered.values()].flat()
    expect(all.length).to.be.greaterThan(100)
    for (const route of all) expect(emu.app.hasRoute(route), `${route.method} ${route.url}`).to.equal(true)
  })
})
