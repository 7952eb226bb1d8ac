import type { Tenant } from '../../../contract/tenancy.js'
import { escapeHtml, page } from '../pages/page.js'

const hiddenNext = (next: string) => `<input type="hidden" name="next" value="${escapeHtml(next)}">`

/** Who is signed in, with the "not you? sign out" form that comes back to `next`. */
export function signedInAs(tenant: Pick<Tenant, 'name' | 'email'>, next: string): string {
  return `<form method="post" action="/_/signout" id="signed-in" class="who">${hiddenNext(next)}Signed in as <strong id="tenant">${escapeHtml(tenant.name)}</strong> &lt;${escapeHtml(tenant.email)}&gt;. Not you? <button class="deny" type="submit">Sign out</button></form>`
}

/**
 * The console sign-in page: a magic link into the mailbox, or the fake Google/GitHub. Nothing leaves the machine;
 * no JavaScript, like every emulator page.
 */
export function signInPage(options: { next: string; tenant?: Tenant; email?: string; error?: string }): string {
  const { next } = options
  const current = options.tenant
    ? `${signedInAs(options.tenant, `/_/signin?next=${encodeURIComponent(next)}`)}<p><a id="continue" href="${escapeHtml(next)}">Continue as ${escapeHtml(options.tenant.name)}</a></p><h2>Another account</h2>`
    : ''
  const provider = (id: string, name: string) =>
    `<form method="get" action="/_/signin/${id}" class="recent">${hiddenNext(next)}<button class="deny" type="submit" id="continue-${id}">Continue with ${name}</button></form>`
  return page(
    'Sign in to the bkend console',
    `<h1>Sign in to the bkend console</h1>
<p class="who">Local emulator: the e-mail lands in its mailbox and Google and GitHub are local stand-ins, so nothing leaves this machine.</p>
${current}${options.error ? `<p class="error" id="error">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="/_/signin/magic" id="magic">${hiddenNext(next)}
<label for="email">E-mail</label><input id="email" name="email" type="email" required autofocus value="${escapeHtml(options.email ?? '')}">
<button class="approve" type="submit">Send a sign-in link</button></form>
<p>${provider('google', 'Google')} ${provider('github', 'GitHub')}</p>`,
  )
}

/** After a magic link was asked for: where to find it. */
export function linkSentPage(email: string): string {
  return page(
    'Check the mailbox',
    `<h1>Check the mailbox</h1>
<p id="sent">A sign-in link for <strong>${escapeHtml(email)}</strong> is in the emulator's mailbox. See it with <code>bkend mail list --to ${escapeHtml(email)}</code>, or in the console's mailbox once signed in. It works once, for 15 minutes.</p>`,
  )
}

/**
 * Signed in: the browser goes on to `next` by a refresh from this page. A redirect would not do: after a link
 * followed from another site (a mail client), the browser does not send a SameSite=Strict cookie on the redirected
 * request, so the console would ask to sign in again.
 */
export function continuePage(tenant: Tenant, next: string): string {
  const target = escapeHtml(next)
  return page('Signed in', `<meta http-equiv="refresh" content="0;url=${target}"><h1>Signed in</h1><p id="signed-in">Signed in as ${escapeHtml(tenant.name)} &lt;${escapeHtml(tenant.email)}&gt;. <a href="${target}">Continue</a></p>`)
}
