import type { Page } from '../../../../contract/common.js'
import type { Project } from '../../../../contract/tenancy.js'
import type { AuthConfigView, EmailSettings, EmailTemplate, ProviderView, SocialProvider } from '../../../core/project-settings/project-settings.js'
import { ToolError } from '../../../mcp/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult, FormState } from '../context.js'
import { done, envPath, errorAlert, fieldError, invalidAttrs } from '../layout.js'

const BASE = '/o/:org/p/:project/e/:env/settings'
const PROVIDERS: readonly SocialProvider[] = ['google', 'github']

/** Which form of the page a failed post came from, so its error shows there and nowhere else. */
interface Failed {
  form: string
  state: FormState
}

/**
 * The project's settings, shared by its environments: e-mail sign-in, the Google and GitHub providers, the e-mail
 * sender and templates, and the CORS allowed origins. Every change is the MCP tool's, so validation, the role
 * matrix and the activity log are the same as over MCP.
 */
export const settingsPage: ConsolePage = {
  nav: { label: 'Settings', page: 'settings' },
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: (ctx) => render(ctx) },
    post('email-auth', (ctx) => ({
      tool: 'backend_auth_config_update',
      args: { projectId: ctx.project!.id, body: { magicLinkEnabled: ctx.form.magicLinkEnabled === 'on', emailVerificationRequired: ctx.form.emailVerificationRequired === 'on', magicLinkExpirationMinutes: Number(ctx.form.magicLinkExpirationMinutes) } },
      notice: 'E-mail sign-in saved',
    })),
    ...PROVIDERS.map((provider) =>
      post(`provider-${provider}`, (ctx) => {
        const body: Record<string, unknown> = { enabled: ctx.form.enabled === 'on', clientId: (ctx.form.clientId ?? '').trim(), redirectUri: (ctx.form.redirectUri ?? '').trim(), scopes: words(ctx.form.scopes) }
        // An empty secret field keeps the stored secret (the tool's own rule for an omitted one).
        if (ctx.form.clientSecret) body.clientSecret = ctx.form.clientSecret
        return { tool: 'backend_auth_provider_upsert', args: { projectId: ctx.project!.id, provider, body }, notice: `${provider} sign-in saved` }
      }),
    ),
    post('sender', (ctx) => ({
      tool: 'backend_email_settings_update',
      args: { projectId: ctx.project!.id, body: { senderName: (ctx.form.senderName ?? '').trim(), senderEmail: (ctx.form.senderEmail ?? '').trim(), overrideDefaults: ctx.form.overrideDefaults === 'on' } },
      notice: 'E-mail sender saved',
    })),
    {
      method: 'POST',
      path: `${BASE}/template/:category`,
      level: 'env',
      handle: (ctx) =>
        save(ctx, `template-${ctx.params.category}`, {
          tool: 'backend_email_template_update',
          args: { projectId: ctx.project!.id, category: ctx.params.category, body: { subject: ctx.form.subject ?? '', body: ctx.form.body ?? '' } },
          notice: `Template ${ctx.params.category} saved`,
        }),
    },
    post('cors', (ctx) => ({
      tool: 'backend_project_update',
      args: { projectId: ctx.project!.id, body: { settings: { allowedOrigins: words(ctx.form.allowedOrigins) } } },
      notice: 'Allowed origins saved',
    })),
  ],
}

interface Change {
  tool: string
  args: Record<string, unknown>
  notice: string
}

function post(form: string, change: (ctx: ConsoleContext) => Change) {
  return { method: 'POST' as const, path: `${BASE}/${form}`, level: 'env' as const, handle: (ctx: ConsoleContext) => save(ctx, form, change(ctx)) }
}

/** Runs the change's tool; a refusal shows the page again with the envelope's message at the form that failed. */
async function save(ctx: ConsoleContext, form: string, change: Change): Promise<ConsoleResult> {
  try {
    await ctx.tool(change.tool, change.args)
  } catch (error) {
    if (!(error instanceof ToolError) || error.code === 'INTERNAL_ERROR') throw error
    return render(ctx, { form, state: { error, values: ctx.form } }, error.code === 'VALIDATION_ERROR' ? 400 : error.code === 'NOT_FOUND' ? 404 : 403)
  }
  // Back to the form that was saved, with the message.
  return { redirect: `${done(`${envPath(ctx)}/settings`, change.notice).redirect}#${form}` }
}

const words = (text: string | undefined) => (text ?? '').split(/[\s,]+/).filter(Boolean)

async function render(ctx: ConsoleContext, failed?: Failed, status = 200): Promise<ConsoleResult> {
  const projectId = ctx.project!.id
  const [auth, sender, templates, project] = await Promise.all([
    ctx.tool<AuthConfigView>('backend_auth_config_get', { projectId }),
    ctx.tool<EmailSettings>('backend_email_settings_get', { projectId }),
    ctx.tool<Page<EmailTemplate>>('backend_email_template_list', { projectId }),
    ctx.tool<Project>('backend_project_get', { projectId }),
  ])
  const state = (form: string): FormState => (failed?.form === form ? failed.state : {})
  const body = [
    '<p class="muted">These settings belong to the project: every environment of it shares them.</p>',
    `<h2 id="email-auth">E-mail sign-in</h2>${emailAuthForm(ctx, auth, state('email-auth'))}`,
    ...PROVIDERS.map((p) => `<h2 id="provider-${p}">${p === 'google' ? 'Google' : 'GitHub'} sign-in</h2>${providerForm(ctx, p, auth.oauth[p], state(`provider-${p}`))}`),
    `<h2 id="sender">E-mail sender</h2>${senderForm(ctx, sender, state('sender'))}`,
    `<h2 id="templates">E-mail templates</h2>${templates.items.map((t) => templateForm(ctx, t, state(`template-${t.category}`))).join('')}`,
    `<h2 id="cors">CORS allowed origins</h2>${corsForm(ctx, (project.settings?.allowedOrigins as string[] | undefined) ?? [], state('cors'))}`,
  ]
  return { status, title: 'Settings', page: 'settings', body: body.join('') }
}

const action = (ctx: ConsoleContext, form: string) => e(`${envPath(ctx)}/settings/${form}`)
const value = (state: FormState, name: string, current: string) => e(state.values?.[name] ?? current)
const checked = (state: FormState, name: string, current: boolean) => ((state.values ? state.values[name] === 'on' : current) ? ' checked' : '')

function field(state: FormState, id: string, name: string, label: string, current: string, extra = ''): string {
  return `<label for="${id}">${label}<input id="${id}" name="${name}" value="${value(state, name, current)}"${extra}${invalidAttrs(state, name, id)}>${fieldError(state, name, id)}</label>`
}

function check(state: FormState, id: string, name: string, label: string, current: boolean): string {
  return `<label class="check" for="${id}"><input type="checkbox" id="${id}" name="${name}"${checked(state, name, current)}> ${label}</label>`
}

function emailAuthForm(ctx: ConsoleContext, auth: AuthConfigView, state: FormState): string {
  const email = auth.email
  return `${errorAlert(state)}<form class="stack" method="post" action="${action(ctx, 'email-auth')}" id="email-auth-form">
${check(state, 'ea-magic', 'magicLinkEnabled', 'Magic links enabled', email.magicLinkEnabled)}${check(state, 'ea-verify', 'emailVerificationRequired', 'Require a verified e-mail before sign-in', email.emailVerificationRequired)}
${field(state, 'ea-minutes', 'magicLinkExpirationMinutes', 'Magic link lifetime (minutes, 1–1440)', String(email.magicLinkExpirationMinutes), ' inputmode="numeric"')}
<div><button type="submit">Save e-mail sign-in</button></div></form>`
}

function providerForm(ctx: ConsoleContext, provider: SocialProvider, view: ProviderView | null, state: FormState): string {
  const id = (name: string) => `${provider}-${name}`
  const secret = view?.hasClientSecret ? 'a secret is stored; leave empty to keep it' : 'none stored'
  return `${errorAlert(state)}${view ? '' : '<p class="muted">Not configured: sign-in with it fails until it is saved.</p>'}<form class="stack" method="post" action="${action(ctx, `provider-${provider}`)}" id="${id('form')}">
${check(state, id('enabled'), 'enabled', 'Enabled', view?.enabled ?? false)}${field(state, id('clientId'), 'clientId', 'Client id', view?.clientId ?? '', ' autocomplete="off"')}
<label for="${id('clientSecret')}">Client secret (write-only: ${secret})<input id="${id('clientSecret')}" name="clientSecret" type="password" autocomplete="off"${invalidAttrs(state, 'clientSecret', id('clientSecret'))}>${fieldError(state, 'clientSecret', id('clientSecret'))}</label>
${field(state, id('redirectUri'), 'redirectUri', 'Redirect URI', view?.redirectUri ?? `${ctx.core.origin()}/v1/auth/${provider}/callback`, ' type="url"')}${field(state, id('scopes'), 'scopes', 'Scopes (separated by spaces)', view?.scopes.join(' ') ?? '')}
<div><button type="submit">Save ${provider}</button></div></form>`
}

function senderForm(ctx: ConsoleContext, sender: EmailSettings, state: FormState): string {
  return `${errorAlert(state)}<form class="stack" method="post" action="${action(ctx, 'sender')}" id="sender-form">
${field(state, 's-name', 'senderName', 'Sender name', sender.senderName)}${field(state, 's-email', 'senderEmail', 'Sender address', sender.senderEmail, ' type="email"')}
${check(state, 's-override', 'overrideDefaults', 'Send the custom templates below instead of the built-in ones', sender.overrideDefaults)}
<div><button type="submit">Save sender</button></div></form>`
}

function templateForm(ctx: ConsoleContext, t: EmailTemplate, state: FormState): string {
  const id = (name: string) => `t-${t.category}-${name}`
  return `<details id="template-${e(t.category)}"${state.error ? ' open' : ''}><summary>${e(t.category)}${t.isCustom ? ' (custom)' : ''}: ${e(t.subject)}</summary>${errorAlert(state)}<form class="stack" method="post" action="${action(ctx, `template/${encodeURIComponent(t.category)}`)}">
${field(state, id('subject'), 'subject', 'Subject', t.subject)}
<label for="${id('body')}">Body (HTML)<textarea id="${id('body')}" name="body"${invalidAttrs(state, 'body', id('body'))}>${value(state, 'body', t.body)}</textarea>${fieldError(state, 'body', id('body'))}</label>
<p class="muted">Variables: ${t.variables.map((v) => `<code>{{${e(v)}}}</code>`).join(' ')}</p><div><button type="submit">Save ${e(t.category)}</button></div></form></details>`
}

function corsForm(ctx: ConsoleContext, origins: string[], state: FormState): string {
  return `${errorAlert(state)}<form class="stack" method="post" action="${action(ctx, 'cors')}" id="cors-form">
<label for="cors-origins">Allowed origins (at most 3, one per line, with protocol, e.g. http://localhost:3000)<textarea id="cors-origins" name="allowedOrigins"${invalidAttrs(state, 'settings.allowedOrigins', 'cors-origins')}>${value(state, 'allowedOrigins', origins.join('\n'))}</textarea>${fieldError(state, 'settings.allowedOrigins', 'cors-origins')}</label>
<div><button type="submit">Save allowed origins</button></div></form>`
}
