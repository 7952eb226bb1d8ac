import type { FastifyRequest } from 'fastify'
import type { Core } from '../../core/core.js'
import type { TenantPrincipal } from '../../core/tenant-tokens.js'
import { bearerOf } from './context.js'

/** Verifies the request's tenant bearer (MCP, the controls) and notes the tenant for the request log. */
export async function verifyTenant(core: Core, request: FastifyRequest, token = bearerOf(request)): Promise<TenantPrincipal> {
  const tenant = await core.tenantTokens.verify(token)
  request.tenant = tenant
  return tenant
}
