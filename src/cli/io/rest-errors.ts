import type { RestError } from '../../client/rest.js'
import { CliError } from '../errors.js'

/** What to suggest for a server code; the first matching rule wins. */
const HINTS: Array<[(e: RestError) => boolean, string]> = [
  [(e) => e.code === 'file/incomplete-download', 'the connection broke off: run the command again'],
  [(e) => e.status === 0, "start the emulator with 'bkend dev' (or pass --data-dir), or check --target"],
  [(e) => e.status === 401, "check the key (--secret-key or BKEND_SECRET_KEY), or run 'bkend status' to see which target and key are in use"],
  [(e) => e.code === 'data/scope-insufficient', "use a secret key whose scopes cover this table and operation, or an unscoped one ('bkend keys create')"],
  [(e) => e.code === 'data/system-table-access', 'built-in tables (users, accounts, sessions, files) are read-only through the data API'],
  [(e) => e.code === 'file/access-denied' && e.request.includes('signed'), 'the signed URL expired or was refused; run the command again for a fresh one'],
  [(e) => e.code === 'file/file-too-large', 'the file is larger than the target accepts (bkend dev: 5 GiB unless started with --max-file-size)'],
  [(e) => e.code === 'file/not-found' && e.request.includes('signed'), 'the file is registered but its bytes never arrived: upload it again'],
  [(e) => e.code === 'file/not-found', "list the environment's file ids with 'bkend files list'"],
  [(e) => e.status === 403, 'runtime commands need the environment\'s secret key (sk_…); a publishable key acts as a guest'],
  [(e) => e.code === 'data/table-not-found', "create it with 'bkend tables create', or check the name with 'bkend tables list'"],
  [(e) => e.code === 'data/not-found', "list the table's record ids with 'bkend data list <table>'"],
  [(e) => e.code === 'user/not-found', "list users with 'bkend users list'"],
  [(e) => e.code === 'common/project-not-found' || e.code === 'data/environment-not-found', "the key's project or environment is gone; run 'bkend status'"],
  [(e) => e.code === 'data/duplicate-value', 'a unique index already holds this value: change it, or update the existing record'],
  [(e) => e.code === 'auth/email-already-exists', "find the existing user with 'bkend users list --search <email>'"],
  [(e) => e.status === 413, 'a record body may be at most 1 MiB'],
  [(e) => e.status === 429, 'the key is rate limited: retry later, or lower --concurrency'],
  [(e) => e.status === 400, 'fix the values named above and retry'],
  [(e) => e.status >= 500, 'the server failed: see the bkend dev output'],
]

/** The message a person reads for a REST failure: the server's message plus any field-level details. */
export function describeRestError(error: RestError): string {
  // the server's message often names the fields already; only details it leaves out are appended
  const details = error.details
    .filter((d) => !(d.field && error.message.includes(d.field)))
    .map((d) => (d.field ? `${d.field}: ${d.message ?? d.rule}` : (d.message ?? '')))
    .filter(Boolean)
  return details.length ? `${error.message} (${details.join('; ')})` : error.message
}

/** Maps a REST failure to the CLI's error: the server code stays the stable code, a hint says what to do next. */
export function restErrorToCli(error: RestError): CliError {
  const hint = HINTS.find(([matches]) => matches(error))?.[1]
  return new CliError(describeRestError(error), hint, 1, error.code)
}
