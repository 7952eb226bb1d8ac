/** Where a target's surfaces are: the REST origin and the MCP endpoint, and how its user names it. */
export interface Endpoint {
  kind: 'local' | 'cloud' | 'url'
  /** `local`, `cloud`, or the URL as given: what the user types after --target. */
  target: string
  /** Origin of the REST API; requests go to `${restUrl}/v1/...`. */
  restUrl: string
  mcpUrl: string
}

/** An endpoint plus the project and environment management calls act in. */
export interface TargetScope extends Endpoint {
  /** Project id or slug. */
  project?: string
  /** Environment name. */
  env: string
  /** The organization bkend.json or runtime.json recorded, when the session itself does not say. */
  organizationId?: string
}

/** `local`, `cloud` or the URL, as a person would name the target. */
export function endpointLabel(endpoint: Endpoint): string {
  return endpoint.kind === 'local' ? `the local emulator (${endpoint.restUrl})` : endpoint.kind === 'cloud' ? `bkend cloud (${endpoint.mcpUrl})` : endpoint.target
}
