import type { ClientError } from '../client/errors.js'

/** What a hint rule reads: a client error, or a CLI error's code. */
type Failure = Pick<ClientError, 'code' | 'status' | 'details' | 'request'> & { message?: string }

type Rule = [matches: (e: Failure) => boolean, hint: string | ((e: Failure) => string)]

const code = (...codes: string[]) => (e: Failure) => codes.includes(e.code)
const signed = (e: Failure) => e.request.includes('signed')

/**
 * The one table from failure to what a person can do next, for every error the CLI shows: client errors by code
 * (and the details they carry, such as the environments that do exist), then by HTTP status for codes without a
 * rule of their own, and CLI errors that name no hint themselves. The first matching rule wins.
 */
const HINTS: Rule[] = [
  // the target: not running, not reachable, not able
  [code('target/no-emulator'), "start one with 'bkend dev' in this directory, or pass --data-dir <the data dir it runs on>"],
  [code('target/unreachable'), "start the emulator with 'bkend dev' (or pass --data-dir), or check --target and your network connection"],
  // The local emulator lacks a tool only in cloud-parity mode, which hides what the hosted service lacks.
  [(e) => e.code === 'target/unsupported' && e.details.target === 'local', "the hosted service lacks it too (bkend dev runs with --cloud-parity); restart 'bkend dev' without --cloud-parity to use it locally"],
  [(e) => e.code === 'target/unsupported' && /^backend_(org|member)_/.test(e.details.tool ?? '') && !UNSUPPORTED_HINTS[e.details.tool!], "manage the organization, its members and invitations, and read its audit log in the bkend console's organization settings"],
  [code('target/unsupported'), (e) => UNSUPPORTED_HINTS[e.details.tool ?? ''] ?? "start 'bkend dev' and run this without --target (or with --target local and --data-dir <its data dir>)"],
  [code('target/no-organization'), 'log in again and pick one organization on the consent page'],
  [code('cli/no-project'), "pass --project <id or slug>, set BKEND_PROJECT, or run 'bkend link'"],
  [code('cli/ambiguous'), 'pass the key id instead (bkend keys list shows it)'],

  // credentials
  [code('auth/login-required'), (e) => loginHint(e.details.target)],
  [(e) => e.status === 401 && e.details.auth === 'tenant-token', 'the tenant token in runtime.json was revoked, or another bkend dev rewrote runtime.json: restart bkend dev'],
  [(e) => e.status === 401 && e.details.auth === 'access-token', 'the access token (BKEND_ACCESS_TOKEN or --token) was rejected: use a fresh one'],
  [(e) => e.status === 401 && e.details.auth === 'oauth-login', (e) => loginHint(e.details.target)],
  [(e) => e.status === 401, "check the key (--secret-key or BKEND_SECRET_KEY), or run 'bkend status' to see which target and key are in use"],
  [code('auth/access_denied'), 'approve the request on the consent page to log in'],
  [code('auth/timeout'), 'run bkend login again and complete the consent page'],
  [code('auth/failed'), 'run bkend login again; check that the target runs an MCP server with OAuth (bkend dev does)'],
  [(e) => e.code.startsWith('auth/') && e.status === 0, 'run bkend login again'],

  // things that are not there: one code per kind of thing, from management and runtime commands alike
  [code('data/table-not-found'), (e) => `check the name with 'bkend tables list${e.details.environment ? ` --env ${e.details.environment}` : ''}', or create it with 'bkend tables create'`],
  [(e) => e.code === 'data/environment-not-found' && e.details.known !== undefined, (e) => `pass --env with one of: ${e.details.known!.join(', ') || '(none)'}`],
  [(e) => e.code === 'common/project-not-found' && e.details.ref !== undefined, "list what exists with 'bkend projects list'"],
  [code('common/project-not-found', 'data/environment-not-found'), "the key's project or environment is gone; run 'bkend status'"],
  [code('common/organization-not-found'), "list what exists with 'bkend orgs list'"],
  [code('common/key-not-found'), (e) => `list what exists with 'bkend keys list${e.details.environment ? ` --env ${e.details.environment}` : ''}'`],
  [code('data/not-found'), "list the table's record ids with 'bkend data list <table>'"],
  [code('user/not-found'), "list users with 'bkend users list'"],
  [code('mail/not-found'), "list the messages with 'bkend mail list'"],
  [code('log/not-found'), "find the id in 'bkend dev logs' or in the response's X-Request-Id header; the log keeps only recent requests"],
  [code('auth/provider-not-configured'), (e) => `configure it with 'bkend auth providers set ${e.details.ref} --client-id <id> [--client-secret -]'`],
  [code('member/not-found'), "'bkend orgs members list' shows the members (by e-mail and tenant id)"],
  [code('member/invitation-not-found'), "'bkend orgs invitations list' shows the pending invitations"],
  [code('common/not-found'), 'check the name or id; the matching `list` command shows what exists'],

  // files
  [code('file/incomplete-download'), 'the connection broke off: run the command again'],
  [(e) => e.code === 'file/access-denied' && signed(e), 'the signed URL expired or was refused; run the command again for a fresh one'],
  [code('file/file-too-large'), 'the file is larger than the target accepts (bkend dev: 5 GiB unless started with --max-file-size)'],
  [(e) => e.code === 'file/not-found' && signed(e), 'the file is registered but its bytes never arrived: upload it again'],
  [code('file/not-found'), "list the environment's file ids with 'bkend files list'"],

  // refusals
  [code('data/scope-insufficient'), "use a secret key whose scopes cover this table and operation, or an unscoped one ('bkend keys create')"],
  [code('SCOPE_INSUFFICIENT'), "the login lacks the scope this needs: run 'bkend login' again and grant it"],
  [code('FORBIDDEN'), 'your organization role does not allow this; ask an owner or admin of the organization'],
  [code('data/system-table-access'), 'built-in tables (users, accounts, sessions, files) are read-only through the data API'],
  [(e) => e.status === 403, "runtime commands need the environment's secret key (sk_…); a publishable key acts as a guest"],
  [code('data/duplicate-value'), 'a unique index already holds this value: change it, or update the existing record'],
  [code('auth/email-already-exists'), "find the existing user with 'bkend users list --search <email>'"],
  // Team rules (one owner, no second membership) are conflicts too, but no name is taken there.
  [(e) => e.code === 'CONFLICT' && /^backend_(member_|org_(transfer|leave|delete)$)/.test(e.details.tool ?? ''), "'bkend orgs members list' and 'bkend orgs invitations list' show who is in the organization and who is invited"],
  [code('CONFLICT'), 'the name is taken: choose another, or change the existing one'],
  [(e) => e.code === 'VALIDATION_ERROR' && e.message?.startsWith('settings.allowedOrigins') === true, "at most 3 origins, each with its protocol and no wildcard (https://my-app.com, http://localhost:3000); 'bkend projects cors set --remove <origin>' makes room"],
  [code('VALIDATION_ERROR'), 'check the values you passed (see --help for the accepted forms)'],
  [(e) => e.code.startsWith('mcp/'), 'the server refused the request; check the values you passed'],
  [(e) => e.status === 413, 'a record body may be at most 1 MiB'],
  [(e) => e.status === 429, 'the key is rate limited: retry later, or lower --concurrency'],
  [(e) => e.status === 400, 'fix the values named above and retry'],
  [code('INTERNAL_ERROR'), 'the server failed; try again, and report it if it keeps happening'],
  [(e) => e.status >= 500, 'the server failed: see the bkend dev output'],

  // bkend dev could not start
  [code('emulator/data-dir-locked'), 'stop the other emulator (the pid above), or start this one with --data-dir <another dir>'],
  [code('emulator/port-in-use'), 'stop whatever listens there, or pass --port <another port> (or --port 0 for any free port)'],
  [code('emulator/port-denied'), 'pick a port above 1024 with --port'],
  [code('emulator/address-unavailable'), 'pass --host with an address of this machine (127.0.0.1, 0.0.0.0 for every interface, or one that `ip addr` lists)'],
  [code('emulator/unknown-host'), 'pass --host with an IP address (127.0.0.1, 0.0.0.0) or a name this machine resolves (localhost)'],
]

/** What to do when a target lacks a tool, by the tool it lacks. */
const UNSUPPORTED_HINTS: Record<string, string> = {
  backend_project_delete: 'delete it in the bkend console',
  backend_env_delete: 'delete it in the bkend console',
  backend_table_delete: 'delete it in the bkend console',
  backend_access_token_create: "create keys in the bkend console (or use 'bkend keys create' against the local emulator)",
  backend_access_token_revoke: 'revoke it in the bkend console',
  backend_auth_config_get: 'change authentication settings in the bkend console',
  backend_auth_config_update: 'change authentication settings in the bkend console',
  backend_auth_provider_upsert: 'change authentication settings in the bkend console',
  backend_access_token_delete: 'delete it in the bkend console',
  backend_auth_provider_delete: 'change authentication settings in the bkend console',
  backend_email_settings_get: 'change e-mail settings in the bkend console',
  backend_email_settings_update: 'change e-mail settings in the bkend console',
  backend_email_template_list: 'change e-mail templates in the bkend console',
  backend_email_template_get: 'change e-mail templates in the bkend console',
  backend_email_template_update: 'change e-mail templates in the bkend console',
  backend_email_template_reset: 'change e-mail templates in the bkend console',
  backend_email_template_preview: 'change e-mail templates in the bkend console',
  backend_org_usage: "see the figures on the bkend console's dashboard",
}

/** Client error codes that mean the command was asked for the wrong thing: exit code 2, like usage errors. */
export const USAGE_CODES: ReadonlySet<string> = new Set(['cli/no-project', 'cli/ambiguous'])

/** The hint for a failure, or undefined when the table has none. */
export function hintFor(failure: Failure): string | undefined {
  const hint = HINTS.find(([matches]) => matches(failure))?.[1]
  return typeof hint === 'function' ? hint(failure) : hint
}

function loginHint(target: string | undefined): string {
  return `run 'bkend login --target ${target ?? '<target>'}' (or set BKEND_ACCESS_TOKEN in CI)`
}
