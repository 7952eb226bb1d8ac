/**
 * The console's stylesheet and script, shipped as strings inside the package: nothing to fetch, nothing to build.
 * The pages work without the script (every action is a form or a link); it only adds the confirmation dialog and
 * navigation on choosing from a switcher, and new requests on the request log's page as they happen.
 */

export const CONSOLE_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1d2330;--muted:#5a6272;--line:#d5d9e0;--panel:#f5f6f8;--accent:#2451d6;--accent-fg:#fff;--danger:#b3261e;--ok:#1b6e3a;--focus:#f0a020}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e8ec;--muted:#a0a7b4;--line:#343a44;--panel:#1d2128;--accent:#7c9cff;--accent-fg:#0d1020;--danger:#ff8a80;--ok:#7fd49b}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;z-index:2}.skip:focus{left:.5rem}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}
header.top .who{margin-left:auto;color:var(--muted)}
.switcher{display:flex;gap:.4rem;align-items:center;margin:0;min-width:0}.switcher select{max-width:min(16rem,55vw)}
.shell{display:flex;min-height:calc(100vh - 3rem)}
nav.side{flex:0 0 12rem;border-right:1px solid var(--line);padding:1rem .5rem}
nav.side ul{list-style:none;margin:0;padding:0}
nav.side a{display:block;padding:.35rem .6rem;border-radius:4px;text-decoration:none;color:var(--fg)}
nav.side a[aria-current=page]{background:var(--accent);color:var(--accent-fg)}
main{flex:1;min-width:0;padding:1rem 1.5rem 3rem}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.crumbs{color:var(--muted);margin:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);white-space:nowrap}
td.actions{white-space:nowrap}
details{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;margin:.6rem 0}summary{cursor:pointer;font-weight:600}
td.value{max-width:24rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:var(--panel);padding:.6rem;overflow:auto;border-radius:4px}
form.stack{display:grid;gap:.6rem;max-width:36rem;margin:.5rem 0 1rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.5rem 0}
form.row{display:inline}
label{display:grid;gap:.2rem;font-weight:600}
label.check{display:flex;gap:.4rem;align-items:center;font-weight:400}
input,select,textarea,button{font:inherit;color:inherit}
input,select,textarea{background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.35rem .5rem;min-width:0}
textarea{min-height:6rem;font-family:ui-monospace,monospace}
button,.button{display:inline-block;padding:.35rem .9rem;border-radius:4px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}
button.danger{background:var(--danger);border-color:var(--danger);color:var(--bg)}
.alert{border:1px solid var(--danger);color:var(--danger);padding:.5rem .8rem;border-radius:4px;margin:.5rem 0 1rem}
.notice{border:1px solid var(--ok);color:var(--ok);padding:.5rem .8rem;border-radius:4px;margin:.5rem 0 1rem}
.field-error{color:var(--danger);font-weight:400;margin:0}
[aria-invalid=true]{border-color:var(--danger)}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.8rem;background:var(--panel)}
.card dl,dl.card{display:grid;grid-template-columns:auto auto;gap:.1rem .8rem;margin:.4rem 0 0;max-width:28rem}.card dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.pager{display:flex;gap:1rem;align-items:center;margin:.6rem 0}
dialog{border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);max-width:28rem}
dialog::backdrop{background:rgb(0 0 0 / .4)}
tr.failed td{color:var(--danger)}dl.explanation{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0}dl.explanation dd{margin:0}
#mail-frame{border:1px solid var(--line);background:#fff;color-scheme:light}
@media (max-width:700px){.shell{display:block}nav.side{border-right:0;border-bottom:1px solid var(--line);padding:.4rem}nav.side ul{display:flex;flex-wrap:wrap;gap:.2rem}main{padding:1rem}header.top .who{margin-left:0}}`

export const CONSOLE_JS = `'use strict'
// A destructive form asks first; without this script the server answers such a form with a confirmation page.
document.addEventListener('submit', function (event) {
  var form = event.target
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.querySelector('input[name=confirmed]')) return
  var dialog = document.getElementById('confirm-dialog')
  if (!dialog || typeof dialog.showModal !== 'function') return
  event.preventDefault()
  dialog.querySelector('#confirm-message').textContent = form.dataset.confirm
  dialog.returnValue = ''
  dialog.addEventListener('close', function () {
    if (dialog.returnValue !== 'confirm') return
    var input = document.createElement('input')
    input.type = 'hidden'
    input.name = 'confirmed'
    input.value = 'yes'
    form.appendChild(input)
    form.submit()
  }, { once: true })
  dialog.showModal()
  dialog.querySelector('button[value=cancel]').focus()
})
// Choosing in a switcher goes there at once; the form's Go button does the same without the script.
document.addEventListener('change', function (event) {
  var select = event.target
  if (select instanceof HTMLSelectElement && select.dataset.navigate !== undefined && select.value) window.location.assign(select.value)
})
// The request log asks its own URL for the requests after the newest it shows, every 1.5 s while the tab is
// visible, and puts them on top; the table keeps at most data-max rows. A failed poll is simply retried by the next.
;(function () {
  var table = document.querySelector('table[data-live]')
  if (!table || typeof fetch !== 'function') return
  var busy = false
  setInterval(function () {
    if (busy || document.hidden) return
    busy = true
    var url = new URL(window.location.href)
    url.searchParams.set('after', table.dataset.next)
    url.searchParams.delete('notice')
    fetch(url, { credentials: 'same-origin' }).then(function (response) {
      return response.ok ? response.text() : null
    }).then(function (html) {
      var fresh = html && new DOMParser().parseFromString(html, 'text/html').querySelector('table[data-live]')
      if (!fresh) return
      table.dataset.next = fresh.dataset.next
      var body = table.tBodies[0]
      var rows = fresh.tBodies[0].rows
      for (var i = rows.length - 1; i >= 0; i--) body.insertBefore(document.importNode(rows[i], true), body.firstChild)
      while (body.rows.length > Number(table.dataset.max)) body.deleteRow(-1)
      var empty = document.getElementById('no-requests')
      if (empty && body.rows.length > 0) empty.remove()
    }).catch(function () {}).then(function () {
      busy = false
    })
  }, 1500)
})()
`

/** The files under `/_/assets/`. */
export const CONSOLE_ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ['console.css', { type: 'text/css; charset=utf-8', body: CONSOLE_CSS }],
  ['console.js', { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS }],
])
