import { roleAllows } from '../../core/tenancy/roles.js'
import { escapeHtml } from '../pages/page.js'
import type { ToolError, ToolErrorCode } from '../../mcp/errors.js'
import type { ConsoleContext, FormState } from './context.js'

export const CONSOLE_ROOT = '/_'
export const ASSET_CSS = `${CONSOLE_ROOT}/assets/console.css`
export const ASSET_JS = `${CONSOLE_ROOT}/assets/console.js`

const e = escapeHtml

/** `/_/o/<org>`: the organization's pages. */
export const orgPath = (ctx: Pick<ConsoleContext, 'org'>) => `${CONSOLE_ROOT}/o/${encodeURIComponent(ctx.org.slug)}`
/** `/_/o/<org>/p/<project>`. */
export const projectPath = (ctx: Pick<ConsoleContext, 'org' | 'project'>) => `${orgPath(ctx)}/p/${encodeURIComponent(ctx.project!.slug)}`
/** `/_/o/<org>/p/<project>/e/<env>`: base of the environment's pages. */
export const envPath = (ctx: Pick<ConsoleContext, 'org' | 'project' | 'env'>) => `${projectPath(ctx)}/e/${encodeURIComponent(ctx.env!.environment)}`

/** The complete HTML document of a console page: skip link, top bar with the switchers, side navigation, main. */
export function shell(ctx: ConsoleContext, nav: readonly { label: string; page: string }[], title: string, body: string, current?: string): string {
  const side = ctx.env
    ? `<nav class="side" aria-label="Environment"><ul>${nav.map((item) => `<li><a href="${e(`${envPath(ctx)}/${item.page}`)}"${item.page === current ? ' aria-current="page"' : ''}>${e(item.label)}</a></li>`).join('')}</ul></nav>`
    : ''
  return document(
    `${title} · bkend console`,
    `<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${CONSOLE_ROOT}/">bkend console</a>${switchers(ctx)}<span class="who" id="who">${e(ctx.tenant.email)} · ${e(ctx.org.role)}</span><form method="post" action="${CONSOLE_ROOT}/signout" class="switcher"><button type="submit" class="secondary" id="sign-out">Sign out</button></form></header>
<div class="shell">${side}<main id="main" tabindex="-1">${crumbs(ctx)}<h1>${e(title)}</h1>${notice(ctx)}${body}</main></div>
<dialog id="confirm-dialog" aria-labelledby="confirm-message"><form method="dialog"><p id="confirm-message"></p><button value="cancel" class="secondary">Cancel</button> <button value="confirm" class="danger">Confirm</button></form></dialog>`,
  )
}

/** A standalone page (nothing to navigate yet: a missing organization, a refused request). */
export function bare(title: string, body: string): string {
  return document(`${title} · bkend console`, `<main id="main"><h1>${e(title)}</h1>${body}<p><a href="${CONSOLE_ROOT}/">Back to the console</a></p></main>`)
}

function document(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><link rel="stylesheet" href="${ASSET_CSS}"><script src="${ASSET_JS}" defer></script></head><body>${body}</body></html>`
}

/** Organization and project/environment pickers: selects that navigate (with a Go button when scripts are off). */
function switchers(ctx: ConsoleContext): string {
  const orgOptions = ctx.orgs.map((org) => option(`${CONSOLE_ROOT}/o/${encodeURIComponent(org.slug)}`, `${org.displayName ?? org.name} (${org.role})`, org.id === ctx.org.id))
  const out = picker('org-switch', 'Organization', orgOptions)
  // A role that may not read projects (Billing) gets no project picker rather than a refusal in the top bar.
  if (!roleAllows(ctx.org.role, 'project:read')) return out
  const options = [option('', 'Choose a project or environment', !ctx.project)]
  for (const project of ctx.core.projects.list(ctx.actor)) {
    const base = `${orgPath(ctx)}/p/${encodeURIComponent(project.slug)}`
    const here = project.id === ctx.project?.id
    options.push(option(base, `${project.name} (overview)`, here && !ctx.env))
    for (const env of ctx.core.envs.ofProject(project.id)) options.push(option(`${base}/e/${encodeURIComponent(env.environment)}/tables`, `${project.name} / ${env.environment}`, env.id === ctx.env?.id))
  }
  return out + picker('env-switch', 'Project', options)
}

function picker(id: string, label: string, options: string[]): string {
  return `<form class="switcher" method="get" action="${CONSOLE_ROOT}/go"><label for="${id}" class="muted">${e(label)}</label><select id="${id}" name="to" data-navigate>${options.join('')}</select><button type="submit" class="secondary">Go</button></form>`
}

function option(value: string, label: string, selected: boolean): string {
  return `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`
}

function crumbs(ctx: ConsoleContext): string {
  const parts = [`<a href="${e(orgPath(ctx))}">${e(ctx.org.displayName ?? ctx.org.name)}</a>`]
  if (ctx.project) parts.push(`<a href="${e(projectPath(ctx))}">${e(ctx.project.name)}</a>`)
  if (ctx.env) parts.push(`<a href="${e(`${envPath(ctx)}/tables`)}">${e(ctx.env.environment)}</a>`)
  return `<p class="crumbs">${parts.join(' / ')}</p>`
}

/** The message a redirect after a successful action carries (`?notice=`). */
function notice(ctx: ConsoleContext): string {
  const text = ctx.query.notice
  return text ? `<p class="notice" role="status" id="notice">${e(text.slice(0, 300))}</p>` : ''
}

const STATUS: Record<ToolErrorCode, number> = { VALIDATION_ERROR: 400, NOT_FOUND: 404, FORBIDDEN: 403, SCOPE_INSUFFICIENT: 403, CONFLICT: 409, INTERNAL_ERROR: 500 }

/** The HTTP status of a page that shows a tool's error, as REST would answer it. */
export const statusOf = (error: ToolError): number => STATUS[error.code]

/** The failed action's envelope message, announced to screen readers. */
export function errorAlert(state: FormState): string {
  if (!state.error) return ''
  return `<div class="alert" role="alert" id="error"><strong>${e(state.error.code)}</strong>: ${e(state.error.message)}</div>`
}

/**
 * The messages the error's details give for one field (`details[].field`: the field, a path below it, or any that
 * `field` accepts), shown under its input.
 */
export function fieldError(state: FormState, field: string | ((name: string) => boolean), id: string): string {
  const named = typeof field === 'string' ? (name: string) => name === field || name.startsWith(`${field}.`) : field
  const messages = (state.error?.details ?? []).filter((d) => d.field !== undefined && named(d.field)).map((d) => d.message)
  return messages.length > 0 ? `<p class="field-error" id="${e(id)}-error">${e(messages.join('; '))}</p>` : ''
}

/** `aria-invalid` and `aria-describedby` for an input whose field the error names. */
export function invalidAttrs(state: FormState, field: string | ((name: string) => boolean), id: string): string {
  return fieldError(state, field, id) ? ` aria-invalid="true" aria-describedby="${e(id)}-error"` : ''
}

/** A one-button form for a destructive step: the script asks in a dialog, else the server asks on a page. */
export function confirmForm(action: string, label: string, message: string, id: string, hidden: Record<string, string> = {}): string {
  return `<form class="row" method="post" action="${e(action)}" data-confirm="${e(message)}">${hiddenInputs(hidden)}<button type="submit" class="danger" id="${e(id)}">${e(label)}</button></form>`
}

/** The page a destructive form without `confirmed=yes` answers: the same post again, confirmed, or back. */
export function confirmPage(action: string, message: string, back: string, form: Record<string, string>): { title: string; body: string } {
  return {
    title: 'Confirm',
    body: `<p id="confirm-text">${e(message)}</p><form method="post" action="${e(action)}">${hiddenInputs({ ...form, confirmed: 'yes' })}<button type="submit" class="danger" id="confirm">Confirm</button> <a class="button secondary" href="${e(back)}">Cancel</a></form>`,
  }
}

export function hiddenInputs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
    .join('')
}

/** Whether a destructive form was confirmed (the dialog or the confirmation page adds the field). */
export const confirmed = (ctx: ConsoleContext) => ctx.form.confirmed === 'yes'

/** Where to go after a successful action, with the message to show there. */
export function done(path: string, message: string): { redirect: string } {
  return { redirect: `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(message)}` }
}
