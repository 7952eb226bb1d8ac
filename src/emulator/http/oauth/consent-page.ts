import type { AuthorizationParams, ConsentModel } from '../../core/oauth/authorization.js'
import { signedInAs } from '../console/signin-page.js'
import { escapeHtml, page } from '../pages/page.js'

/**
 * The consent page for the signed-in tenant: through a console session (`session`), or implicitly the only tenant.
 * The form posts back with the original parameters; "not you?" signs out (or in as another tenant) and returns here.
 */
export function consentPage(model: ConsentModel, params: AuthorizationParams, session: boolean): string {
  const hidden = Object.entries(params)
    .filter(([name, value]) => value !== undefined && name !== 'organization_id')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value as string)}">`)
    .join('')
  const options = model.organizations
    .map((org) => `<option value="${escapeHtml(org.id)}"${org.id === params.organization_id ? ' selected' : ''}>${escapeHtml(org.name)} (${escapeHtml(org.slug)}, ${escapeHtml(org.role)})</option>`)
    .join('')
  const scopes = model.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined))
  const back = `/mcp/oauth/authorize?${query.toString()}`
  const who = session
    ? signedInAs(model.tenant, back)
    : `<p class="who" id="signed-in">Signed in to the local bkend emulator as <strong id="tenant">${escapeHtml(model.tenant.name)}</strong> &lt;${escapeHtml(model.tenant.email)}&gt;. Not you? <a href="/_/signin?next=${escapeHtml(encodeURIComponent(back))}">Sign in as another tenant</a></p>`
  return page(
    'Authorize access to bkend',
    `<h1>Authorize <strong>${escapeHtml(model.clientName)}</strong></h1>
${who}
<form method="post" action="/mcp/oauth/authorize">${hidden}
${options ? `<p><label for="organization_id">Organization</label><br><select id="organization_id" name="organization_id">${options}</select></p>` : '<p class="error" id="no-organization">You belong to no organization yet: accept an invitation from your mailbox, or sign in as another tenant.</p>'}
<p>The application asks for these permissions:</p><ul id="scopes">${scopes}</ul>
<p class="who" id="redirect">After your decision you return to <code>${escapeHtml(redirectTarget(params.redirect_uri))}</code> (client <code>${escapeHtml(params.client_id ?? '')}</code>).</p>
<button class="approve" type="submit" name="action" value="approve"${options ? '' : ' disabled'}>Approve</button>
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
