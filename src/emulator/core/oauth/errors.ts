/** RFC 6749 §5.2 / RFC 7591 §3.2.2 error codes the authorization server answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'

/**
 * An OAuth protocol error. OAuth endpoints answer with `{ error, error_description }` (not the REST envelope), so
 * this is separate from DomainError; `status` is 401 for client-authentication failures, else 400.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 = 400,
  ) {
    super(description)
    this.name = 'OAuthError'
  }

  body(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description }
  }
}
