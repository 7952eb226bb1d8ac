import type { RuntimeClient } from '../../client/runtime.js'
import type { User } from '../../contract/users.js'
import type { Format } from '../io/transfer/files.js'
import type { SourceRow } from '../io/transfer/source-row.js'
import { describe, validator } from './layout.js'
import { ignoreGone, seedRows, type SeedPart, type Unchanged } from './rows.js'
import { plural } from '../../ui/format.js'

export interface UserSeeding {
  runtime: RuntimeClient
  environment: string
  /** The local emulator takes a password and `emailVerified` on `POST /v1/users`; other targets get the documented routes. */
  local: boolean
  concurrency: number
  strict: boolean
  progress: boolean
  signal?: AbortSignal
  path: string
  format: Format
  source: string
}

/** The profile fields of rest-auth.md §4.3 that `PATCH /v1/users/:id` takes. */
const PROFILE = ['nickname', 'mobile', 'gender', 'bio', 'socialLinks'] as const

/**
 * Seeds the end users of `users.json` / `users.ndjson`. A user is identified by e-mail: one that exists is left as
 * it is. Each row is checked against the shipped schema first, so a typo is a rejection naming the JSON path.
 */
export async function seedUsers(o: UserSeeding): Promise<SeedPart> {
  const { users } = o.runtime
  const known = await existingEmails(o.runtime)
  const check = await validator('seed-users.schema.json#/definitions/user')
  let unverifiable = 0
  const part = await seedRows({
    kind: 'users',
    name: 'users',
    path: o.path,
    source: o.source,
    format: o.format,
    data: o.runtime.data,
    environment: o.environment,
    concurrency: Math.min(o.concurrency, 8),
    strict: o.strict,
    progress: o.progress,
    signal: o.signal,
    types: {},
    pending: (rows, counts) => newUsers(rows, known, check, counts),
    insert: async (record) => {
      const user = record as unknown as SeedUser
      if (user.emailVerified && !o.local) unverifiable++
      return (await createUser(o.runtime, user, o.local)).id
    },
    remove: (id) => ignoreGone(users.delete(id)),
  })
  if (unverifiable) part.note = `${plural(unverifiable, 'user')} ${unverifiable === 1 ? 'is' : 'are'} marked emailVerified, which only the local emulator can set: on this target they verify through the confirmation e-mail`
  return part
}

interface SeedUser {
  email: string
  password?: string
  name?: string
  role?: string
  emailVerified?: boolean
  [profile: string]: unknown
}

/**
 * One user, with its password hashed by the server as at sign-up. Locally `POST /v1/users` takes the password and
 * the verified flag; elsewhere a user with a password signs up (the documented route) and then gets its role.
 */
async function createUser(runtime: RuntimeClient, u: SeedUser, local: boolean): Promise<User> {
  const name = u.name ?? u.email.split('@')[0]!
  let user: User
  if (local || u.password === undefined) {
    user = await runtime.users.create({ email: u.email, name, role: u.role, password: u.password, emailVerified: local && u.emailVerified ? true : undefined })
  } else {
    user = await runtime.users.signUp(u.email, u.password, name)
    if (u.role !== undefined && u.role !== user.role) user = await runtime.users.setRole(user.id, u.role)
  }
  const profile = Object.fromEntries(PROFILE.filter((f) => u[f] !== undefined).map((f) => [f, u[f]]))
  if (Object.keys(profile).length) user = await runtime.users.update(user.id, profile)
  return user
}

async function* newUsers(rows: AsyncIterable<SourceRow>, known: Set<string>, check: Awaited<ReturnType<typeof validator>>, counts: Unchanged): AsyncGenerator<SourceRow> {
  const inFile = new Map<string, number>()
  for await (const row of rows) {
    if (!row.record) {
      yield row
      continue
    }
    if (!check(row.record)) {
      yield { row: row.row, error: describe(check.errors![0]!) }
      continue
    }
    const email = normalEmail(row.record.email as string)
    const earlier = inFile.get(email)
    if (earlier !== undefined) {
      yield { row: row.row, error: `repeats the e-mail ${email} of row ${earlier}` }
      continue
    }
    inFile.set(email, row.row)
    if (known.has(email)) counts.unchanged++
    else yield row
  }
}

/** The e-mails of every user of the environment (users are few next to records, so one pass over the list). */
async function existingEmails(runtime: RuntimeClient): Promise<Set<string>> {
  const emails = new Set<string>()
  for (let page = 1; ; page++) {
    const { items, pagination } = await runtime.users.list({ page, limit: 100 })
    for (const user of items) emails.add(normalEmail(user.email))
    if (!pagination.hasNext) return emails
  }
}

/** As the server stores e-mails: trimmed and lower-cased. */
function normalEmail(email: string): string {
  return email.trim().toLowerCase()
}
