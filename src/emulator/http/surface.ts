import type { FastifyInstance } from 'fastify'
import type { Core } from '../core/core.js'
import type { Logger } from '../logger.js'
import type { RateLimiter, RateLimitOptions } from './middleware/rate-limit.js'

export interface HttpOptions {
  version: string
  startedAt: string
  logger: Logger
  rateLimit: RateLimitOptions
  /** OAuth consent is granted without showing the consent page (tests, CI). */
  oauthAutoApprove: boolean
  /** Cloud-parity mode (README-D12): extensions the hosted service lacks are hidden and refused. */
  cloudParity: boolean
}

/** What a surface module receives to register its routes. */
export interface Surface {
  app: FastifyInstance
  core: Core
  limiter: RateLimiter
  options: HttpOptions
}

/** The HTTP surfaces, one folder of `http/` each; `middleware/` and `pages/` are shared by them. */
export type SurfaceName = 'data' | 'auth' | 'users' | 'files' | 'mcp' | 'oauth' | 'control' | 'console'

/** One module's routes in the route list (`routes.ts`). */
export interface SurfaceRoutes {
  surface: SurfaceName
  /**
   * An emulator extension: routes the hosted service does not have, all under `/_emulator/` (spec README,
   * "Emulator-only endpoints"), marked here so that whatever needs to tell them apart (a cloud-parity mode, the
   * docs) finds them in one place.
   */
  extension: boolean
  /**
   * Why an extension stays on in cloud-parity mode (README-D12, docs/emulator.md): `control` for the emulator's own
   * controls, how `bkend dev` and the CLI operate it; `stand-in` for what takes the place of the cloud's
   * infrastructure behind URLs the API itself hands out (signed storage URLs and the CDN, the identity providers).
   * Any other extension is a product feature the hosted service lacks: with the mode on its routes are not
   * registered, so they answer 404 like any unknown route.
   */
  parity?: 'control' | 'stand-in'
  register: (surface: Surface) => void | Promise<void>
}
