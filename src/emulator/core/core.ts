import type { Store } from '../store/store.js'
import { Accounts } from './auth/accounts.js'
import { AccountLinks } from './auth/account-links.js'
import { AuthLimits } from './auth/auth-limits.js'
import { AuthService } from './auth/auth-service.js'
import { FakeIdp } from './auth/fake-idp.js'
import { Mfa } from './auth/mfa.js'
import { SocialAuth } from './auth/social.js'
import { EmailFlows } from './auth/email-flows.js'
import { PasswordFlows } from './auth/password-flows.js'
import { authSystemTables } from './auth/system-tables.js'
import { TokenMailer } from './auth/token-mail.js'
import { UserPool } from './auth/user-pool.js'
import { UserTokens } from './auth/user-tokens.js'
import { Invitations } from './auth/invitations.js'
import { UserSettings } from './auth/user-settings.js'
import { UsersService } from './auth/users-service.js'
import { Clock } from './clock.js'
import { DevState } from './dev-state.js'
import { IndexCache } from './data/indexes/cache.js'
import { Records } from './data/records.js'
import { Tables } from './data/tables.js'
import { ApiKeys } from './keys/api-keys.js'
import { Mailbox } from './mail/mailbox.js'
import { OAuthServer } from './oauth/oauth-server.js'
import { OneTimeTokens } from './one-time-tokens.js'
import { ProjectSettings } from './project-settings/project-settings.js'
import { Storage } from './storage/storage.js'
import { Activity } from './tenancy/activity.js'
import { Environments } from './tenancy/environments.js'
import { ConsoleSessions } from './tenancy/console-sessions.js'
import { Invitations as OrgInvitations } from './tenancy/invitations.js'
import { Members } from './tenancy/members.js'
import { Organizations } from './tenancy/organizations.js'
import { Projects } from './tenancy/projects.js'
import { Tenants } from './tenancy/tenants.js'
import { Usage } from './tenancy/usage.js'
import { TenantTokens } from './tenant-tokens.js'
import { RequestCounts } from './observe/request-counts.js'
import { RequestLog } from './observe/request-log.js'

export interface CoreOptions {
  store: Store
  /** The emulator origin (`http://127.0.0.1:4100`): issuer of tenant tokens and base of generated links. Read
   * lazily, because a server listening on port 0 learns its origin after the core is built. */
  origin: () => string
  clock?: Clock
  /** The optional abuse limits of end-user auth (sign-in lockout, e-mails per address); off by default (RA-D23). */
  authLimits?: boolean
  /** Base of signed and public storage URLs, for clients that reach the emulator by another name (a phone, a
   * container); default: the origin. */
  publicUrl?: string
  /** Largest stored file in bytes (default 5 GiB). */
  maxFileSize?: number
  /** Cloud-parity mode (README-D12): emulator-only conveniences (custom roles, `password` on user create, parentheses in permission expressions, …) are refused or hidden; off by default. */
  cloudParity?: boolean
  /** How many requests the request log holds (default 10,000). */
  requestLogCapacity?: number
}

/** The domain, composed: every service that REST routes and MCP tools call. Knows nothing of HTTP. */
export interface Core {
  readonly store: Store
  readonly clock: Clock
  readonly origin: () => string
  readonly orgs: Organizations
  /** Tenant accounts: by id, by e-mail, created on first sign-in. */
  readonly tenants: Tenants
  /** Console sign-in (one-time URLs, magic links) and the sessions it opens. */
  readonly consoleSessions: ConsoleSessions
  readonly envs: Environments
  readonly projects: Projects
  /** Members of organizations, their roles. */
  readonly members: Members
  /** Invitations to organizations (tenant-side; `invitations` are an environment's user invitations). */
  readonly orgInvitations: OrgInvitations
  /** Plan and usage figures of an organization's environments. */
  readonly usage: Usage
  readonly keys: ApiKeys
  readonly tenantTokens: TenantTokens
  readonly oauth: OAuthServer
  readonly projectSettings: ProjectSettings
  /** Captured e-mails (never sent). */
  readonly mailbox: Mailbox
  /** Single-use expiring tokens for e-mail links and codes. */
  readonly oneTimeTokens: OneTimeTokens
  readonly auth: AuthService
  /** Sign-up confirmation, magic links, contact-e-mail verification. */
  readonly emailFlows: EmailFlows
  /** Password reset and change. */
  readonly passwords: PasswordFlows
  readonly users: UsersService
  readonly fakeIdp: FakeIdp
  readonly social: SocialAuth
  readonly accountLinks: AccountLinks
  readonly mfa: Mfa
  readonly userSettings: UserSettings
  readonly invitations: Invitations
  readonly tables: Tables
  readonly records: Records
  readonly storage: Storage
  /** Reset of an environment's data, snapshots of the whole state. */
  readonly devState: DevState
  /** Every request the emulator answered, newest last (bounded). */
  readonly requestLog: RequestLog
  /** Design-time changes per organization (the console's audit log). */
  readonly activity: Activity
  /** Requests per environment today, fed where the request log appends. */
  readonly requestCounts: RequestCounts
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const { store, origin } = options
  const clock = options.clock ?? new Clock()
  const extensions = !(options.cloudParity ?? false)
  const control = store.control
  await TenantTokens.ensureSecret(control)
  await ConsoleSessions.ensureCookieId(control)
  const orgs = new Organizations(control, clock)
  const tenants = new Tenants(control, orgs, clock)
  const envs = new Environments(store, orgs, clock)
  const projects = new Projects(control, orgs, envs, clock)
  const keys = new ApiKeys(control, orgs, projects, envs, clock)
  const tenantTokens = new TenantTokens(control, orgs, clock, () => `${origin()}/mcp`)
  const oauth = new OAuthServer(control, orgs, tenantTokens, clock)
  const projectSettings = new ProjectSettings(control, orgs, projects, clock, origin)
  const mailbox = new Mailbox(control, projectSettings.email, clock, projects)
  const oneTimeTokens = new OneTimeTokens(clock)
  const pool = new UserPool(envs)
  const accounts = new Accounts(pool, clock)
  const mfa = new Mfa(pool, clock)
  const limits = new AuthLimits(clock, options.authLimits ?? false)
  const auth = new AuthService(pool, accounts, mfa, new UserTokens(clock, origin), clock, () => projectSettings.auth, limits)
  const mailer = new TokenMailer(pool, oneTimeTokens, mailbox, limits)
  const emailFlows = new EmailFlows(auth, mailer, envs, projects, clock, () => projectSettings.auth, origin)
  const passwords = new PasswordFlows(auth, mailer, clock, () => projectSettings.auth, extensions)
  const users = new UsersService(auth, clock, extensions)
  const fakeIdp = new FakeIdp(control, oneTimeTokens, clock, origin)
  const consoleSessions = new ConsoleSessions(control, tenants, mailbox, fakeIdp, origin)
  const social = new SocialAuth(auth, fakeIdp, () => projectSettings.auth, control, oneTimeTokens, envs, projects, clock, origin)
  const accountLinks = new AccountLinks(auth, social)
  const userSettings = new UserSettings(pool, clock)
  const invitations = new Invitations(auth, mailbox, envs, projects, clock, origin)
  const indexCache = new IndexCache()
  const tables = new Tables(orgs, projects, envs, indexCache, clock, extensions)
  const records = new Records(tables, indexCache, clock, extensions)
  const storage = await Storage.create(store, envs, clock, users, pool, { maxFileSize: options.maxFileSize, publicBase: () => options.publicUrl ?? origin(), extensions })
  auth.onUserDeleted((environmentId, userId) => storage.avatars.removeAll(environmentId, userId))
  const authTables = authSystemTables(pool, () => clock.nowMs())
  records.attachSystemTables({ rows: (environmentId, table) => (table === 'files' ? storage.files.systemRows(environmentId) : authTables.rows(environmentId, table)) })
  await envs.dropOrphans()
  const devState = new DevState(store, projects, envs)
  const requestLog = new RequestLog(options.requestLogCapacity)
  const activity = new Activity(control, orgs, clock)
  const requestCounts = new RequestCounts(() => clock.nowMs())
  const members = new Members(control, orgs)
  const orgInvitations = new OrgInvitations(control, orgs, members, mailbox, clock, origin)
  tenants.hasPendingInvitation = (email) => orgInvitations.pendingFor(email).length > 0
  const usage = new Usage(orgs, envs, projects, {
    records: (id) => tables.recordCount(id),
    users: (id) => pool.all(id).length,
    files: (id) => storage.files.usage(id),
    requestsToday: (id) => requestCounts.of(id),
  })
  return { store, clock, origin, orgs, tenants, consoleSessions, envs, projects, members, orgInvitations, usage, requestCounts, keys, tenantTokens, oauth, projectSettings, mailbox, oneTimeTokens, auth, emailFlows, passwords, users, userSettings, invitations, fakeIdp, social, accountLinks, mfa, tables, records, storage, devState, requestLog, activity }
}
