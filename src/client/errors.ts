/** One field-level problem a server named (`[{ field, rule, message }]` in the REST error envelope). */
export interface FieldProblem {
  field?: string
  rule?: string
  message?: string
}

/**
 * What a caller may want besides the message, to explain the failure: the field problems the server sent, the
 * resource it was about, and which ones do exist (an unknown environment comes with the project's real ones).
 */
export interface ClientErrorDetails {
  fields?: FieldProblem[]
  /** The kind of thing the failure is about: `table`, `project`, `environment`, `record`, `file`, `mail`, … */
  resource?: string
  /** The name or id the caller gave for it. */
  ref?: string
  /** The environment the request ran in, when it matters for finding the resource. */
  environment?: string
  /** Names that do exist where the resource was looked for. */
  known?: string[]
  /** How the request authenticated, when the target refused it. */
  auth?: 'tenant-token' | 'access-token' | 'oauth-login' | 'secret-key'
  /** The target as its user names it (`local`, `cloud`, a URL), for failures that need it repeated. */
  target?: string
  /** The MCP tool the failure came from, or the one a target lacks. */
  tool?: string
}

/**
 * Every failure of the client layer: a stable code (the spec's `<domain>/<name>`, `data/table-not-found`, or the
 * client's own for conditions without one, `target/unreachable`), the message, the HTTP status (0 when no answer
 * came back), and details. What a person should do next is the caller's business: the client names conditions.
 */
export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status of the answer; 0 when the request never got one. */
    readonly status: number = 0,
    readonly details: ClientErrorDetails = {},
    /** Method and path (or tool name) of the failed request, for messages. */
    readonly request = '',
    /** Seconds the server asked to wait (`Retry-After` on 429), when it said. */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ClientError'
  }
}

/** The ClientError for something the target does not have. */
export function notFound(code: string, message: string, details: ClientErrorDetails): ClientError {
  return new ClientError(code, message, 404, details)
}
