import type { FastifyReply } from 'fastify'
import type { AuthorizationParams, ConsentModel } from '../core/oauth/authorization.js'

/** HTML pages of the authorization endpoints: server-rendered, no JavaScript, no external resources. */

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.3rem}ul{padding-left:1.2rem}code{background:#eef0f4;padding:0 .25rem;border-radius:3px}
select,button{font:inherit;padding:.4rem .8rem;margin:.3rem .3rem .3rem 0}
.approve{background:#2451d6;color:#fff;border:0;border-radius:4px}.deny{background:#fff;border:1px solid #99a;border-radius:4px}
.who{color:#556}.error{color:#a11}
label{display:block;margin:.6rem 0 .2rem}input[type=email],input[type=text],input[type=url]{font:inherit;width:100%;box-sizing:border-box;padding:.35rem}
.recent form{display:inline}.check label{display:inline}`

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

/** A complete page around already-escaped body HTML. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
}

/** The consent page: the local tenant is already signed in; the form posts back with the original parameters. */
export function consentPage(model: ConsentModel, params: AuthorizationParams): string {
  const hidden = Object.entries(params)
    .filter(([name, value]) => value !== undefined && name !== 'organization_id')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value as string)}">`)
    .join('')
  const options = model.organizations
    .map((org) => `<option value="${escapeHtml(org.id)}"${org.id === params.organization_id ? ' selected' : ''}>${escapeHtml(org.name)} (${escapeHtml(org.slug)}, ${escapeHtml(org.role)})</option>`)
    .join('')
  const scopes = model.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')
  return page(
    'Authorize access to bkend',
    `<h1>Authorize <strong>${escapeHtml(model.clientName)}</strong></h1>
<p class="who">Signed in to the local bkend emulator as ${escapeHtml(model.tenant.name)} &lt;${escapeHtml(model.tenant.email)}&gt;</p>
<form method="post" action="/mcp/oauth/authorize">${hidden}
<p><label for="organization_id">Organization</label><br><select id="organization_id" name="organization_id">${options}</select></p>
<p>The application asks for these permissions:</p><ul id="scopes">${scopes}</ul>
<p class="who" id="redirect">After your decision you return to <code>${escapeHtml(redirectTarget(params.redirect_uri))}</code> (client <code>${escapeHtml(params.client_id ?? '')}</code>).</p>
<button class="approve" type="submit" name="action" value="approve">Approve</button>
<button class="deny" type="submit" name="action" value="deny">Deny</button>
</form>`,
  )
}

/** Scheme, host and path of the redirect URI: where the browser goes next, without the query noise. */
function redirectTarget(uri: string | undefined): string {
  try {
    const url = new URL(uri ?? '')
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return uri ?? ''
  }
}

/** A request that cannot safely be redirected back to the client (unknown client or redirect URI). */
export function errorPage(message: string): string {
  return page('Authorization error', `<h1>Authorization error</h1><p class="error">${escapeHtml(message)}</p>`)
}

/** Sends a page that may not be framed, cached or extended with scripts or outside resources. */
export function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header('X-Frame-Options', 'DENY')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .send(body)
}
