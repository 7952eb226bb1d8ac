import type { Page } from '../../../../contract/common.js'
import type { SessionView, UserView } from '../../../core/auth/model.js'
import type { UserIdentity } from '../../../core/principal.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult, FormState } from '../context.js'
import { confirmForm, confirmPage, confirmed, done, envPath, errorAlert, fieldError, invalidAttrs } from '../layout.js'
import { attempt, pageParam, pager, runtimeAdmin } from './runtime-admin.js'

const BASE = '/o/:org/p/:project/e/:env/users'
const ROLES = ['user', 'admin', 'guest']

/** The environment's end users: list and search, create, role, ban, sessions, delete (core users service, as admin). */
export const usersPage: ConsolePage = {
  nav: { label: 'Users', page: 'users' },
  routes: [
    { method: 'GET', path: BASE, level: 'env', handle: (ctx) => list(ctx, {}) },
    {
      method: 'POST',
      path: BASE,
      level: 'env',
      handle: (ctx) =>
        attempt(
          ctx,
          async () => {
            const { scope, principal } = runtimeAdmin(ctx)
            const { name = '', email = '', role = 'user', password = '' } = ctx.form
            const user = await ctx.core.users.create(scope, principal, { name: name.trim(), email: email.trim(), role, ...(password ? { password } : {}) })
            return done(userPath(ctx, user.id), `User ${user.email} created`)
          },
          (state, status) => list(ctx, state, status),
        ),
    },
    { method: 'GET', path: `${BASE}/:userId`, level: 'env', handle: (ctx) => detail(ctx, {}) },
    {
      method: 'POST',
      path: `${BASE}/:userId/role`,
      level: 'env',
      handle: (ctx) =>
        attempt(
          ctx,
          async () => {
            const { scope, principal } = runtimeAdmin(ctx)
            const user = await ctx.core.users.setRole(scope, principal, ctx.params.userId!, { role: (ctx.form.role ?? '').trim() })
            return done(userPath(ctx, user.id), `Role of ${user.email} is now ${user.role}`)
          },
          (state, status) => detail(ctx, state, status),
        ),
    },
    {
      method: 'POST',
      path: `${BASE}/:userId/ban`,
      level: 'env',
      handle: async (ctx) => {
        const ban = ctx.form.banned === 'true'
        if (ban && !confirmed(ctx)) return confirmPage(actionPath(ctx, 'ban'), 'Ban this user? Every session of theirs ends and they cannot sign in until unbanned.', userPath(ctx, ctx.params.userId!), ctx.form)
        const { scope, principal } = runtimeAdmin(ctx)
        const user = await ctx.core.users.update(scope, principal, ctx.params.userId!, { banned: ban })
        return done(userPath(ctx, user.id), `${user.email} ${ban ? 'banned' : 'unbanned'}`)
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:userId/sessions/:sessionId/revoke`,
      level: 'env',
      handle: async (ctx) => {
        const back = userPath(ctx, ctx.params.userId!)
        if (!confirmed(ctx)) return confirmPage(actionPath(ctx, `sessions/${encodeURIComponent(ctx.params.sessionId!)}/revoke`), 'Revoke this session? Its refresh token stops working at once.', back, ctx.form)
        const { scope } = runtimeAdmin(ctx)
        await ctx.core.auth.deleteSession(scope, actingAs(ctx), ctx.params.sessionId!)
        return done(back, 'Session revoked')
      },
    },
    {
      method: 'POST',
      path: `${BASE}/:userId/delete`,
      level: 'env',
      handle: async (ctx) => {
        if (!confirmed(ctx)) return confirmPage(actionPath(ctx, 'delete'), 'Delete this user? Their accounts and sessions go with them; this cannot be undone.', userPath(ctx, ctx.params.userId!), ctx.form)
        const { scope, principal } = runtimeAdmin(ctx)
        await ctx.core.users.delete(scope, principal, ctx.params.userId!)
        return done(`${envPath(ctx)}/users`, 'User deleted')
      },
    },
  ],
}

const userPath = (ctx: ConsoleContext, userId: string) => `${envPath(ctx)}/users/${encodeURIComponent(userId)}`
const actionPath = (ctx: ConsoleContext, action: string) => `${userPath(ctx, ctx.params.userId!)}/${action}`

/**
 * The user a session list or revocation is about, as the identity the sessions API takes: the admin acts in the
 * user's place, so only that user's sessions are listed or revoked (no current session to mark).
 */
function actingAs(ctx: ConsoleContext): UserIdentity {
  const { scope, principal } = runtimeAdmin(ctx)
  const user = ctx.core.users.get(scope, principal, ctx.params.userId!) as UserView
  return { userId: user.id, role: user.role, sessionId: '', email: user.email }
}

function list(ctx: ConsoleContext, state: FormState, status = 200): ConsoleResult {
  const { scope, principal } = runtimeAdmin(ctx)
  const search = (ctx.query.search ?? '').trim()
  const page = pageParam(ctx)
  const users = ctx.core.users.list(scope, principal, { page: String(page), limit: '20', ...(search ? { search } : {}) }) as Page<UserView>
  const rows = users.items.map((u) => {
    const banned = ctx.core.auth.pool.get(ctx.env!.id, u.id)?.banned === true
    return `<tr data-user="${e(u.email)}"><td><a href="${e(userPath(ctx, u.id))}">${e(u.email)}</a></td><td>${e(u.name)}</td><td>${e(u.role)}</td><td>${banned ? '<strong>banned</strong>' : 'active'}</td><td>${u.emailVerified ? 'yes' : 'no'}</td><td>${e(u.createdAt)}</td></tr>`
  })
  const searchForm = `<form class="inline" method="get" action="${e(`${envPath(ctx)}/users`)}" role="search"><label for="u-search">Search name or e-mail<input id="u-search" name="search" type="search" value="${e(search)}"></label><button type="submit" class="secondary">Search</button></form>`
  const table =
    rows.length === 0
      ? `<p class="muted" id="no-users">${search ? 'No user matches.' : 'No users in this environment yet.'}</p>`
      : `<div class="scroll"><table id="users"><thead><tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Verified</th><th scope="col">Created</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${pager(`${envPath(ctx)}/users`, search ? { search } : {}, page, users.pagination.hasNext, users.pagination.total)}`
  return { status, title: 'Users', page: 'users', body: `${searchForm}${table}<h2 id="create">Create a user</h2>${createForm(ctx, state)}` }
}

function createForm(ctx: ConsoleContext, state: FormState): string {
  const v = state.values ?? {}
  const input = (name: string, label: string, type: string, extra = '') =>
    `<label for="u-${name}">${label}<input id="u-${name}" name="${name}" type="${type}" value="${type === 'password' ? '' : e(v[name] ?? '')}"${extra}${invalidAttrs(state, name, `u-${name}`)}>${fieldError(state, name, `u-${name}`)}</label>`
  return `${errorAlert(state)}<form class="stack" method="post" action="${e(`${envPath(ctx)}/users`)}" id="create-user">
${input('email', 'E-mail', 'email', ' required autocomplete="off"')}${input('name', 'Name', 'text', ' required')}
${roleSelect('u-role', v.role ?? 'user', state)}${input('password', 'Password (optional: without one the user signs in by magic link or a reset)', 'password', ' autocomplete="new-password"')}
<div><button type="submit">Create user</button></div></form>`
}

/** The role: one of the built-in ones offered, or a custom role typed (an emulator extension, RA-D19). */
function roleSelect(id: string, current: string, state: FormState): string {
  return `<label for="${id}">Role<input id="${id}" name="role" list="${id}-roles" value="${e(current)}" autocomplete="off"${invalidAttrs(state, 'role', id)}><datalist id="${id}-roles">${ROLES.map((r) => `<option value="${r}"></option>`).join('')}</datalist>${fieldError(state, 'role', id)}</label>`
}

function detail(ctx: ConsoleContext, state: FormState, status = 200): ConsoleResult {
  const { scope, principal } = runtimeAdmin(ctx)
  const user = ctx.core.users.get(scope, principal, ctx.params.userId!) as UserView
  const banned = ctx.core.auth.pool.get(ctx.env!.id, user.id)?.banned === true
  const path = userPath(ctx, user.id)
  const facts = `<dl class="card" id="user-facts"><dt>Id</dt><dd><code>${e(user.id)}</code></dd><dt>Name</dt><dd>${e(user.name)}</dd><dt>Role</dt><dd id="user-role">${e(user.role)}</dd><dt>Status</dt><dd id="user-status">${banned ? 'banned' : 'active'}</dd><dt>E-mail verified</dt><dd>${e(user.emailVerified ?? 'no')}</dd><dt>Password</dt><dd>${user.hasPassword ? 'set' : 'none'}</dd><dt>Created</dt><dd>${e(user.createdAt)}</dd></dl>`
  const role = `${errorAlert(state)}<form class="inline" method="post" action="${e(`${path}/role`)}" id="role-form">${roleSelect('r-role', state.values?.role ?? user.role, state)}<button type="submit">Change role</button></form>`
  const ban = banned
    ? `<form class="row" method="post" action="${e(`${path}/ban`)}"><input type="hidden" name="banned" value="false"><button type="submit" class="secondary" id="unban">Unban</button></form>`
    : confirmForm(`${path}/ban`, 'Ban', `Ban ${user.email}? Every session of theirs ends.`, 'ban', { banned: 'true' })
  const sessions = ctx.core.auth.listSessions(scope, actingAs(ctx), { limit: '100' }) as Page<SessionView>
  const sessionRows = sessions.items.map(
    (s) => `<tr data-session="${e(s.id)}"><td>${e(s.deviceInfo)}</td><td>${e(s.ipAddress ?? '')}</td><td>${e(s.lastActivityAt)}</td><td>${e(s.expiresAt)}</td><td>${confirmForm(`${path}/sessions/${encodeURIComponent(s.id)}/revoke`, 'Revoke', 'Revoke this session? Its refresh token stops working at once.', `revoke-${s.id}`)}</td></tr>`,
  )
  const sessionTable =
    sessionRows.length === 0
      ? '<p class="muted" id="no-sessions">No live sessions.</p>'
      : `<div class="scroll"><table id="sessions"><thead><tr><th scope="col">Device</th><th scope="col">IP</th><th scope="col">Last active</th><th scope="col">Expires</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead><tbody>${sessionRows.join('')}</tbody></table></div>`
  const remove = confirmForm(`${path}/delete`, 'Delete user', `Delete ${user.email}? This cannot be undone.`, 'delete-user')
  return { status, title: user.email, page: 'users', body: `${facts}<h2>Role</h2>${role}<h2>Access</h2><p>${ban}</p><h2>Sessions</h2>${sessionTable}<h2>Danger</h2><p>${remove}</p>` }
}
