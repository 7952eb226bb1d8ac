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
}

/** What a surface module receives to register its routes. */
export interface Surface {
  app: FastifyInstance
  core: Core
  limiter: RateLimiter
  options: HttpOptions
}

/** The HTTP surfaces, one folder of `http/` each; `middleware/` and `pages/` are shared by them. */
export type SurfaceName = 'data' | 'auth' | 'users' | 'files' | 'mcp' | 'oauth' | 'control'

/** One module's routes in the route list (`routes.ts`). */
export interface SurfaceRoutes {
  surface: SurfaceName
  /**
   * An emulator extension: routes the hosted service does not have, all under `/_emulator/` (spec README,
   * "Emulator-only endpoints"), marked here so that whatever needs to tell them apart (a cloud-parity mode, the
   * docs) finds them in one place.
   */
  extension: boolean
  register: (surface: Surface) => void | Promise<void>
}
