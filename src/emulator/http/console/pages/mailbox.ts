import { MAIL_TYPES, type MailboxMessage } from '../../../../contract/mailbox.js'
import { notFound } from '../../../core/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../context.js'
import { confirmForm, confirmPage, confirmed, done, envPath } from '../layout.js'
import { pageParam, pager, runtimeAdmin } from './runtime-admin.js'

const BASE = '/o/:org/p/:project/e/:env/mailbox'
/**
 * What a captured e-mail may do in its frame: nothing but open its links, in a new tab that is not sandboxed (so a
 * magic link reaches the app's callback and the app signs in). No scripts, no forms, no access to the console.
 */
const SANDBOX = 'allow-popups allow-popups-to-escape-sandbox'

/** Every e-mail the environment's flows would have sent, rendered as HTML in a sandbox, its links clickable. */
export const mailboxPage: ConsolePage = {
  nav: { label: 'Mailbox', page: 'mailbox' },
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: (ctx) => list(ctx) },
    { method: 'GET', path: `${BASE}/:messageId`, level: 'env', handle: (ctx) => show(ctx) },
    {
      method: 'POST',
      path: `${BASE}/:messageId/delete`,
      level: 'env',
      handle: async (ctx) => {
        const back = `${envPath(ctx)}/mailbox`
        const message = messageOf(ctx)
        if (!confirmed(ctx)) return confirmPage(`${back}/${encodeURIComponent(message.id)}/delete`, `Delete the e-mail "${message.subject}" to ${message.to}?`, back, ctx.form)
        await ctx.core.mailbox.remove(message.id)
        return done(back, 'E-mail deleted')
      },
    },
  ],
}

/** A message of this environment; another environment's is as absent as an unknown one. */
function messageOf(ctx: ConsoleContext): MailboxMessage {
  runtimeAdmin(ctx)
  const message = ctx.core.mailbox.get(ctx.params.messageId!)
  if (message.environmentId !== ctx.env!.id) throw notFound('common/not-found', `Mailbox message ${ctx.params.messageId} not found in this environment`)
  return message
}

function list(ctx: ConsoleContext): ConsoleResult {
  runtimeAdmin(ctx)
  const to = (ctx.query.to ?? '').trim()
  const type = (MAIL_TYPES as readonly string[]).includes(ctx.query.type ?? '') ? (ctx.query.type as string) : ''
  const page = pageParam(ctx)
  const filters = { ...(to ? { to } : {}), ...(type ? { type } : {}) }
  const found = ctx.core.mailbox.list({ ...filters, environmentId: ctx.env!.id, page: String(page), limit: '20' })
  const base = `${envPath(ctx)}/mailbox`
  const rows = found.items.map(
    (m) => `<tr data-mail="${e(m.id)}"><td><a href="${e(`${base}/${encodeURIComponent(m.id)}`)}">${e(m.subject)}</a></td><td>${e(m.to)}</td><td>${e(m.type)}</td><td>${e(m.createdAt)}</td></tr>`,
  )
  const filterForm = `<form class="inline" method="get" action="${e(base)}" role="search"><label for="m-to">To<input id="m-to" name="to" type="search" value="${e(to)}"></label><label for="m-type">Kind<select id="m-type" name="type"><option value="">any</option>${MAIL_TYPES.map((t) => `<option${t === type ? ' selected' : ''}>${t}</option>`).join('')}</select></label><button type="submit" class="secondary">Filter</button></form>`
  const table =
    rows.length === 0
      ? '<p class="muted" id="no-mail">No e-mail captured for this environment yet.</p>'
      : `<div class="scroll"><table id="mail"><thead><tr><th scope="col">Subject</th><th scope="col">To</th><th scope="col">Kind</th><th scope="col">Captured</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${pager(base, filters, page, found.pagination.hasNext, found.pagination.total)}`
  return { title: 'Mailbox', page: 'mailbox', body: `<p class="muted">Nothing leaves the emulator: every e-mail is captured here.</p>${filterForm}${table}` }
}

function show(ctx: ConsoleContext): ConsoleResult {
  const m = messageOf(ctx)
  const facts = `<dl class="card" id="mail-facts"><dt>From</dt><dd>${e(m.from)}</dd><dt>To</dt><dd>${e(m.to)}</dd><dt>Kind</dt><dd>${e(m.type)}</dd><dt>Captured</dt><dd>${e(m.createdAt)}</dd><dt>Token</dt><dd><code id="mail-token">${e(m.token)}</code></dd><dt>Link</dt><dd>${m.link ? `<a id="mail-link" href="${e(m.link)}" target="_blank" rel="noopener noreferrer">${e(m.link)}</a>` : '<span class="muted">none (the token is the way in)</span>'}</dd></dl>`
  const frame = `<iframe id="mail-frame" title="The e-mail as its recipient sees it" sandbox="${SANDBOX}" referrerpolicy="no-referrer" width="100%" height="360" srcdoc="${e(framed(m.html))}"></iframe>`
  const back = `${envPath(ctx)}/mailbox`
  const remove = confirmForm(`${back}/${encodeURIComponent(m.id)}/delete`, 'Delete e-mail', `Delete the e-mail "${m.subject}"?`, 'delete-mail')
  return { title: m.subject, page: 'mailbox', body: `<p><a href="${e(back)}">All e-mail</a></p>${facts}<h2>As sent</h2>${frame}<details><summary>Plain text</summary><pre id="mail-text">${e(m.text)}</pre></details><p>${remove}</p>` }
}

/** The e-mail's HTML as the frame's document: its links open in a new tab, outside the console. */
function framed(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"></head><body>${html}</body></html>`
}
