import type { FastifyReply } from 'fastify'

/**
 * What every HTML page of the emulator shares (the OAuth consent, the invitation page, the fake identity provider):
 * server-rendered, no JavaScript, no external resources.
 */

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

/** A page that explains why a request cannot go on (e.g. an unknown client or redirect URI, a used link). */
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
