import type { Page } from '../../../../contract/common.js'
import type { AccessToken, CreatedAccessToken } from '../../../../contract/tenancy.js'
import { escapeHtml as e } from '../../pages/page.js'
import { ToolError } from '../../../mcp/errors.js'
import type { ConsoleContext, ConsolePage, ConsoleResult, FormState } from '../context.js'
import { confirmForm, confirmPage, confirmed, done, envPath, errorAlert, fieldError, invalidAttrs } from '../layout.js'

const BASE = '/o/:org/p/:project/e/:env/keys'

/** The environment's API keys through the access-token tools: list, create (the value shown once), revoke, delete. */
export const keysPage: ConsolePage = {
  nav: { label: 'API keys', page: 'keys' },
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: (ctx) => render(ctx, {}) },
    {
      method: 'POST',
      path: BASE,
      level: 'env',
      handle: async (ctx) => {
        const { name = '', type = '', scopes = '', expiresAt = '' } = ctx.form
        const args: Record<string, unknown> = { projectId: ctx.project!.id, environment: ctx.env!.environment, type, name: name.trim() }
        const listed = scopes.split(/[\s,]+/).filter(Boolean)
        if (listed.length > 0) args.scopes = listed
        if (expiresAt.trim()) args.expiresAt = expiresAt.trim()
        let created: CreatedAccessToken
        try {
          created = await ctx.tool<CreatedAccessToken>('backend_access_token_create', args)
        } catch (error) {
          if (!(error instanceof ToolError) || error.code === 'INTERNAL_ERROR') throw error
          return render(ctx, { error, values: ctx.form }, 400)
        }
        // The answer to the post itself, never a page to come back to: the value is not stored for a secret key.
        return { status: 201, title: 'API key created', page: 'keys', body: createdBody(ctx, created) }
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:keyId/revoke`,
      level: 'env',
      handle: async (ctx) => {
        const back = `${envPath(ctx)}/keys`
        if (!confirmed(ctx)) return confirmPage(`${back}/${encodeURIComponent(ctx.params.keyId!)}/revoke`, 'Revoke this key? Every request made with it fails with 401 from now on.', back, ctx.form)
        const key = await ctx.tool<AccessToken>('backend_access_token_revoke', { accessTokenId: ctx.params.keyId })
        return done(back, `Key ${key.name} revoked`)
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:keyId/delete`,
      level: 'env',
      handle: async (ctx) => {
        const key = await ctx.tool<AccessToken>('backend_access_token_get', { accessTokenId: ctx.params.keyId })
        // As the hosted console does: the key's name, typed, is the confirmation (console-model.md §6).
        if ((ctx.form.confirmName ?? '').trim() !== key.name) {
          const error = new ToolError('VALIDATION_ERROR', `Type the key's name "${key.name}" to delete it`, [{ field: 'confirmName', rule: 'confirm', message: `type ${key.name}` }])
          return render(ctx, { deleting: key.id, error, values: ctx.form }, 400)
        }
        await ctx.tool('backend_access_token_delete', { accessTokenId: key.id })
        return done(`${envPath(ctx)}/keys`, `Key ${key.name} deleted`)
      },
    },
  ],
}

/** A failed form of the page; `deleting` names the key whose deletion was not confirmed. */
type KeysState = FormState & { deleting?: string }

function createdBody(ctx: ConsoleContext, key: CreatedAccessToken): string {
  const warning = key.warning ?? 'Copy the key now: the list shows it masked.'
  return `<div class="notice" role="status"><p>${e(warning)}</p></div>
<dl class="card" id="created-key"><dt>Name</dt><dd>${e(key.name)}</dd><dt>Type</dt><dd>${e(key.type)}</dd><dt>Environment</dt><dd>${e(key.environment)}</dd><dt>Key</dt><dd><code id="key-value">${e(key.key)}</code></dd></dl>
<p><a class="button" href="${e(`${envPath(ctx)}/keys`)}" id="keys-back">Done: back to the keys</a></p>`
}

async function render(ctx: ConsoleContext, state: KeysState, status = 200): Promise<ConsoleResult> {
  const keys = await ctx.tool<Page<AccessToken>>('backend_access_token_list', { projectId: ctx.project!.id, environment: ctx.env!.environment, limit: 100 })
  const section = (type: AccessToken['type'], heading: string) => {
    const own = keys.items.filter((k) => k.type === type)
    if (own.length === 0) return `<h2>${heading}</h2><p class="muted">No ${type} keys.</p>`
    return `<h2>${heading}</h2><div class="scroll"><table id="${type}-keys"><thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="muted">Revoke</span></th><th scope="col"><span class="muted">Delete</span></th></tr></thead><tbody>${own.map((k) => row(ctx, k, state)).join('')}</tbody></table></div>`
  }
  return { status, title: 'API keys', page: 'keys', body: `${section('publishable', 'Publishable keys')}${section('secret', 'Secret keys')}<h2 id="create">Create a key</h2>${createForm(ctx, state.deleting ? {} : state)}` }
}

function row(ctx: ConsoleContext, k: AccessToken, state: KeysState): string {
  const base = `${envPath(ctx)}/keys/${encodeURIComponent(k.id)}`
  const revoke = k.status === 'active' ? confirmForm(`${base}/revoke`, 'Revoke', `Revoke the key ${k.name}? Requests with it fail from now on.`, `revoke-${k.id}`) : ''
  const failed: FormState = state.deleting === k.id ? state : {}
  const id = `del-${k.id}`
  const remove = `<form class="inline" method="post" action="${e(`${base}/delete`)}"><label for="${id}">Type the name to delete<input id="${id}" name="confirmName" autocomplete="off"${invalidAttrs(failed, 'confirmName', id)}>${fieldError(failed, 'confirmName', id)}</label><button type="submit" class="danger" id="delete-${e(k.id)}">Delete</button></form>`
  return `<tr data-key="${e(k.name)}"><td>${e(k.name)}</td><td><code>${e(k.maskedKey)}</code></td><td>${e(k.scopes?.join(' ') ?? 'unrestricted')}</td><td data-status="${k.status}">${k.status}</td><td>${e(k.expiresAt ?? 'never')}</td><td>${e(k.lastUsedAt ?? 'never')}</td><td>${revoke}</td><td>${remove}</td></tr>`
}

function createForm(ctx: ConsoleContext, state: FormState): string {
  const v = state.values ?? {}
  const input = (name: string, label: string, extra = '') =>
    `<label for="k-${name}">${label}<input id="k-${name}" name="${name}" value="${e(v[name] ?? '')}"${extra}${invalidAttrs(state, name, `k-${name}`)}>${fieldError(state, name, `k-${name}`)}</label>`
  const type = v.type ?? 'publishable'
  return `${errorAlert(state)}<form class="stack" method="post" action="${e(`${envPath(ctx)}/keys`)}" id="create-key">
${input('name', 'Name', ' required maxlength="100" autocomplete="off"')}
<label for="k-type">Type<select id="k-type" name="type"${invalidAttrs(state, 'type', 'k-type')}>${['publishable', 'secret'].map((t) => `<option${t === type ? ' selected' : ''}>${t}</option>`).join('')}</select>${fieldError(state, 'type', 'k-type')}</label>
${input('scopes', 'Scopes (optional, table:operation patterns separated by spaces, e.g. posts:read *:list)')}${input('expiresAt', 'Expires at (optional, ISO 8601, e.g. 2027-01-31T00:00:00Z)')}
<div><button type="submit">Create key</button></div></form>`
}
