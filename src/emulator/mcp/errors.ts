import { DomainError, fromStoreFailure, type ErrorKind } from '../core/errors.js'

/** Tool error codes of the MCP reference (mcp.md §4). */
export type ToolErrorCode = 'VALIDATION_ERROR' | 'NOT_FOUND' | 'FORBIDDEN' | 'SCOPE_INSUFFICIENT' | 'CONFLICT' | 'INTERNAL_ERROR'

export interface ToolErrorDetail {
  field?: string
  rule?: string
  message: string
}

/** A failure that becomes an `isError` tool result (never a JSON-RPC error, MCP-D8). */
export class ToolError extends Error {
  constructor(
    readonly code: ToolErrorCode,
    message: string,
    readonly details: ToolErrorDetail[] = [],
  ) {
    super(message)
    this.name = 'ToolError'
  }
}

const BY_KIND: Partial<Record<ErrorKind, ToolErrorCode>> = {
  invalid: 'VALIDATION_ERROR',
  'not-found': 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  conflict: 'CONFLICT',
}

/** Maps anything a tool threw to a tool error; unexpected failures keep their message out of the result. */
export function toToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error
  if (error instanceof DomainError) return new ToolError(BY_KIND[error.kind] ?? 'INTERNAL_ERROR', error.message, error.details ?? [])
  const stored = fromStoreFailure(error)
  if (stored) return new ToolError('INTERNAL_ERROR', stored.message)
  return new ToolError('INTERNAL_ERROR', 'An unexpected error occurred')
}

export const validation = (message: string, field?: string) => new ToolError('VALIDATION_ERROR', message, field ? [{ field, rule: 'invalid', message }] : [])
export const scopeInsufficient = (scope: string) =>
  new ToolError('SCOPE_INSUFFICIENT', `This access token lacks the scope "${scope}"; re-authorize with it`, [{ field: 'scope', rule: 'required', message: scope }])
