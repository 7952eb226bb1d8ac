import type { Identity } from '../../core/auth/fake-idp.js'
import type { SocialProvider } from '../../core/project-settings/auth-config.js'
import { escapeHtml, page } from '../pages/page.js'

/** The provider's usual authorization query, carried through the form. */
export type IdpQuery = Partial<Record<'client_id' | 'redirect_uri' | 'response_type' | 'scope' | 'state', string>>

export const PROVIDER_NAMES: Record<SocialProvider, string> = { google: 'Google', github: 'GitHub' }

const hidden = (fields: Record<string, string | undefined>) =>
  Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value as string)}">`)
    .join('')

/**
 * The fake provider's sign-in page: type an identity or reuse a recent one. Every button posts back to the same
 * path with the original query fields; no JavaScript.
 */
export function identityPage(provider: SocialProvider, query: IdpQuery, recent: Identity[], entered: Record<string, string> = {}, error?: string): string {
  const name = PROVIDER_NAMES[provider]
  const action = `/_emulator/oauth/${provider}/authorize`
  const carried = hidden(query)
  const reuse = recent
    .map((identity, i) => `<li><form method="post" action="${action}">${carried}${hidden({ email: identity.email, name: identity.name, image: identity.image ?? undefined, sub: identity.sub, email_verified: String(identity.emailVerified) })}
<button class="approve" type="submit" name="action" value="approve" id="reuse-${i}">Continue as ${escapeHtml(identity.name)} &lt;${escapeHtml(identity.email)}&gt;</button></form></li>`)
    .join('')
  const field = (id: string, label: string, type: string, extra = '') =>
    `<label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}" value="${escapeHtml(entered[id] ?? '')}"${extra}>`
  const verified = entered.email_verified === undefined || entered.email_verified === 'true' || entered.email_verified === 'on'
  return page(
    `Sign in with ${name} (emulator)`,
    `<h1>Sign in with ${escapeHtml(name)}</h1>
<p class="who">Local stand-in for ${escapeHtml(name)}: nothing leaves this machine. You return to <code id="redirect">${escapeHtml(query.redirect_uri ?? '')}</code> (client <code>${escapeHtml(query.client_id ?? '')}</code>).</p>
${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
${reuse ? `<h2>Recent identities</h2><ul class="recent" id="recent">${reuse}</ul><h2>Another identity</h2>` : ''}
<form method="post" action="${action}" id="identity">${carried}
${field('email', 'Email', 'email', ' required autofocus')}
${field('name', 'Display name (default: the part of the email before @)', 'text')}
${field('image', 'Picture URL (optional)', 'url')}
${field('sub', `${escapeHtml(name)} account id (default: derived from the email, ${provider === 'google' ? '21' : '8'} digits)`, 'text')}
<p class="check"><input type="hidden" name="email_verified" value="false"><input id="email_verified" name="email_verified" type="checkbox" value="true"${verified ? ' checked' : ''}> <label for="email_verified">Email verified</label></p>
<button class="approve" type="submit" name="action" value="approve">Continue</button>
<button class="deny" type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>`,
  )
}
