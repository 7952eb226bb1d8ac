import type { AccessToken } from '../../../contract/tenancy.js'
import { pageOf } from '../../core/paging.js'
import { optionalParam, param, str, strings, type ToolDef } from '../tool.js'

const accessTokenId = { accessTokenId: str('access token (API key) id (24 hex)') }

/** An API key as list/get show it: `maskedKey` only, never the value (MCP-D11 revised; mcp/07). */
export function withoutValue(token: AccessToken): AccessToken {
  const { key: _value, ...rest } = token
  return rest
}

/** API keys, called access tokens in MCP vocabulary. Key values appear only in the create tool's answer (MCP-D11). */
export const accessTokenTools: ToolDef[] = [
  {
    name: 'backend_access_token_list',
    description: 'List the API keys (access tokens) of the organization. Key values are never listed: each shows maskedKey only.',
    scope: 'access-token:read',
    params: { projectId: str('optional project id filter'), environment: str('optional environment name filter') },
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) =>
      pageOf(core.keys.list(actor, { projectId: optionalParam(args, 'projectId'), environment: optionalParam(args, 'environment') }).map(withoutValue), args.page, args.limit),
  },
  {
    name: 'backend_access_token_get',
    description: 'Get one API key (access token), with maskedKey only.',
    scope: 'access-token:read',
    params: accessTokenId,
    required: ['accessTokenId'],
    readOnly: true,
    run: ({ core, actor }, args) => withoutValue(core.keys.get(actor, param(args, 'accessTokenId'))),
  },
  {
    name: 'backend_access_token_create',
    description: '(extension) Create an API key for one environment. The result carries the full key; a secret key is shown only this once.',
    scope: 'access-token:create',
    params: {
      projectId: str('project id'),
      environment: str('environment name, e.g. dev'),
      type: str('key type', { enum: ['publishable', 'secret'] }),
      name: str('1–100 characters'),
      scopes: strings('optional table:op patterns, e.g. ["posts:read", "*:list"]; omitted = unrestricted'),
      expiresAt: str('optional ISO 8601 expiry in the future'),
    },
    required: ['projectId', 'environment', 'type', 'name'],
    run: ({ core, actor }, args) => core.keys.create(actor, args.params),
  },
  {
    name: 'backend_access_token_revoke',
    description: '(extension) Revoke an API key; it stays listed with status "revoked" and REST calls with it fail with 401. Idempotent.',
    scope: 'access-token:delete',
    params: accessTokenId,
    required: ['accessTokenId'],
    destructive: true,
    run: ({ core, actor }, args) => core.keys.revoke(actor, param(args, 'accessTokenId')),
  },
  {
    name: 'backend_access_token_delete',
    description: '(extension) Delete an API key, as the console does: it disappears from the list and REST calls with it fail with 401 at once. Unlike revoke, it cannot be looked at afterwards.',
    scope: 'access-token:delete',
    params: accessTokenId,
    required: ['accessTokenId'],
    destructive: true,
    run: async ({ core, actor }, args) => withoutValue(await core.keys.delete(actor, param(args, 'accessTokenId'))),
  },
]
