import { EmulatorControls } from '../../client/emulator-controls.js'
import type { RuntimeClient } from '../../client/runtime.js'
import { confirm } from '../confirm.js'
import { openInput } from '../io/transfer/files.js'
import { readJsonArray } from '../io/transfer/json-array-reader.js'
import { readNdjson } from '../io/transfer/ndjson-reader.js'
import { SEED_KEY } from './files.js'
import type { SeedLayout } from './layout.js'
import { resolveTargetContext, type RuntimeFlagValues, type RuntimeTarget } from '../target.js'
import { ignoreGone, removeAll } from './rows.js'

/** What `--reset` removed before seeding, and how. */
export interface SeedReset {
  /** `emulator`: the environment emptied at once by its reset control; `api`: the seeded tables, users and files deleted one by one. */
  via: 'emulator' | 'api'
  removed: { records: number; users: number; files: number }
}

/**
 * `seed --reset`: the local emulator's environment is emptied by its reset control; a remote one loses, after a
 * confirmation (or `--yes`), what the seed would fill.
 */
export async function resetForSeed(flags: RuntimeFlagValues, target: RuntimeTarget, layout: SeedLayout, runtime: RuntimeClient, yes: boolean): Promise<SeedReset> {
  if (target.kind === 'local') {
    const context = await resolveTargetContext(flags)
    const controls = new EmulatorControls(context.restUrl, context.runtime!.tenantToken)
    try {
      return await resetEmulator(controls, target.secretKey)
    } finally {
      await controls.close()
    }
  }
  await confirm(`Delete ${remoteResetScope(layout) || 'nothing'} in environment ${target.environment} at ${target.restUrl} before seeding?`, yes)
  return resetThroughApi(layout, runtime)
}

/**
 * Empties a local environment through the emulator's reset control: every record, user and file of the
 * environment the secret key belongs to (tables, keys and settings stay), in one step.
 */
async function resetEmulator(controls: EmulatorControls, secretKey: string): Promise<SeedReset> {
  const key = await controls.lookupKey(secretKey)
  const { removed } = await controls.reset({ project: key.projectId, environment: key.environmentId })
  return { via: 'emulator', removed }
}

/** What a remote reset deletes, for the confirmation question. */
function remoteResetScope(layout: SeedLayout): string {
  const parts = [layout.tables.length ? `every record of ${layout.tables.map((t) => t.table).join(', ')}` : undefined, layout.users ? 'the users of the seed' : undefined, layout.files.length ? 'the files of the seed' : undefined]
  return parts.filter(Boolean).join(', ')
}

/**
 * A remote environment has no reset: through the API, deletes every record of the tables the seed fills, the
 * users the seed names (by e-mail) and the files it uploaded (by seed key). Other tables, users and files stay.
 */
async function resetThroughApi(layout: SeedLayout, runtime: RuntimeClient): Promise<SeedReset> {
  const removed = { records: 0, users: 0, files: 0 }
  for (const { table } of layout.tables) {
    for (;;) {
      const { items } = await runtime.data.list(table, { limit: 100, select: 'id' })
      if (!items.length) break
      await removeAll(items.map((r) => r.id), (id) => ignoreGone(runtime.data.delete(table, id)))
      removed.records += items.length
    }
  }
  if (layout.users) {
    const emails = await seedEmails(layout.users)
    for (let page = 1; ; page++) {
      const { items, pagination } = await runtime.users.list({ page, limit: 100 })
      const doomed = items.filter((u) => emails.has(u.email.trim().toLowerCase())).map((u) => u.id)
      await removeAll(doomed, (id) => ignoreGone(runtime.users.delete(id)))
      removed.users += doomed.length
      // a page emptied of its seed users shifts the next ones forward, so the same page is read again
      if (doomed.length) page--
      else if (!pagination.hasNext) break
    }
  }
  if (layout.files.length) {
    const keys = new Set(layout.files.map((f) => f.key))
    const storage = runtime.files()
    for (let page = 1; ; page++) {
      const { items, pagination } = await storage.list({ page, limit: 100 })
      const doomed = items.filter((f) => keys.has(f.metadata?.[SEED_KEY] as string)).map((f) => f.id)
      await removeAll(doomed, (id) => ignoreGone(storage.delete(id)))
      removed.files += doomed.length
      if (doomed.length) page--
      else if (!pagination.hasNext) break
    }
  }
  return { via: 'api', removed }
}

async function seedEmails(users: NonNullable<SeedLayout['users']>): Promise<Set<string>> {
  const input = await openInput(users.path)
  const emails = new Set<string>()
  try {
    for await (const row of (users.format === 'json' ? readJsonArray : readNdjson)(input.text)) {
      if (typeof row.record?.email === 'string') emails.add(row.record.email.trim().toLowerCase())
    }
  } finally {
    input.close()
  }
  return emails
}
