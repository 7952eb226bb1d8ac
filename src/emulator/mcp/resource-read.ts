import { McpError } from '@modelcontextprotocol/sdk/types.js'
import { scopeGranted } from '../../contract/scopes.js'
import { DomainError } from '../core/errors.js'
import { NOT_FOUND, pattern, UNAUTHORIZED, type ResourceDef } from './resources.js'
import type { ToolContext } from './tool.js'

/** `resources/read`: -32002 for unknown URIs and ids, -32001 for a missing scope. */
export function readResource(defs: readonly ResourceDef[], ctx: ToolContext, uri: string) {
  for (const def of defs) {
    const match = pattern(def.uri).exec(uri)
    if (!match) continue
    if (!scopeGranted(ctx.scopes, def.scope)) throw new McpError(UNAUTHORIZED, `This access token lacks the scope "${def.scope}"`)
    let value: unknown
    try {
      value = def.read(ctx, match[1] === undefined ? undefined : decodeURIComponent(match[1]))
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'not-found' || error.kind === 'forbidden' || error.kind === 'invalid')) {
        throw new McpError(NOT_FOUND, 'Resource not found', { uri })
      }
      throw error
    }
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] }
  }
  throw new McpError(NOT_FOUND, 'Resource not found', { uri })
}
