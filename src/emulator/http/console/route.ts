import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Surface } from '../surface.js'
import type * as AssetsModule from './assets.js'
import type * as ConsoleModule from './console.js'
import { acceptFormBodies } from '../middleware/body.js'
import { requireConsolePage, requireSameOrigin, signedIn } from './session.js'


/**
 * `/_/…`, the local console. Only this file loads with the emulator: the pages, their renderers and the assets are
 * imported on the first console request, so `bkend dev` starts as fast without it (docs/emulator.md, "Console").
 * `/_/signin` and what else the session module serves are routes of their own, which the router prefers.
 */
export async function registerConsole({ app, core }: Surface): Promise<void> {
  // Type-only imports (erased): nothing of the console loads until a request asks for it.
  let pages: Promise<typeof ConsoleModule> | undefined
  let assets: Promise<typeof AssetsModule> | undefined
  await app.register(async (scope) => {
    acceptFormBodies(scope)
    // The stylesheet and script carry nothing secret, and the sign-in page may use them before any session exists.
    scope.get<{ Params: { name: string } }>('/_/assets/:name', async (request, reply) => {
      const { CONSOLE_ASSETS } = await (assets ??= import('./assets.js'))
      const asset = CONSOLE_ASSETS.get(request.params.name)
      if (!asset) return reply.status(404).header('Content-Type', 'text/plain; charset=utf-8').send('Not found')
      return reply.header('Content-Type', asset.type).header('Cache-Control', 'no-cache').header('X-Content-Type-Options', 'nosniff').send(asset.body)
    })
    const guards = { preHandler: [requireSameOrigin(), requireConsolePage(core)] }
    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      const { handleConsole } = await (pages ??= import('./console.js'))
      return handleConsole(core, request, reply, signedIn(request))
    }
    // A wildcard matches no empty rest, so the home is a route of its own (`/_` and `/_/`: trailing slashes are ignored).
    scope.get('/_', guards, handle)
    scope.get('/_/*', guards, handle)
    scope.post('/_/*', guards, handle)
  })
}
