import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { contentTypeFor } from '../../client/content-type.js'
import { ClientError } from '../../client/errors.js'
import type { StorageClient } from '../../client/storage.js'
import { describeClientError } from '../errors.js'
import type { Reject } from '../io/transfer/importer.js'
import type { SeedFile } from './layout.js'
import { ignoreGone, removeAll, type SeedPart } from './rows.js'

/** The metadata key a seeded file carries its seed key in, so a later seed recognises it. */
export const SEED_KEY = 'seedKey'
/** As `bkend files upload` defaults: larger files go multipart. */
const UPLOAD = { multipartThreshold: 64 * 1024 ** 2, partSize: 16 * 1024 ** 2, concurrency: 4 }
/** Statuses that condemn one file (its name, type or metadata) and say nothing about the next. */
const FILE_LEVEL = new Set([400, 409, 413])

export interface FileSeeding {
  storage: StorageClient
  strict: boolean
  source: string
  signal?: AbortSignal
}

/**
 * Uploads the files of `files.json` with their visibility and metadata. A file is identified by its seed key, kept
 * in `metadata.seedKey`: one whose key is already there is left as it is. Files go one at a time (the bytes, not
 * the requests, are what takes long); a refused file is a rejection (its manifest element), as rows are.
 */
export async function seedFiles(files: SeedFile[], o: FileSeeding): Promise<SeedPart> {
  const started = performance.now()
  const known = await seededKeys(o.storage)
  const rejects: Reject[] = []
  const created: string[] = []
  let unchanged = 0
  for (const [i, file] of files.entries()) {
    if (o.signal?.aborted) break
    if (known.has(file.key)) {
      unchanged++
      continue
    }
    try {
      const { size } = await stat(file.path)
      const name = file.name ?? basename(file.path)
      const metadata = { ...file.metadata, [SEED_KEY]: file.key }
      const { file: view } = await o.storage.upload({ path: file.path, size, name, contentType: file.contentType ?? contentTypeFor(name), visibility: file.visibility, category: file.category, metadata, ...UPLOAD, signal: o.signal })
      created.push(view.id)
    } catch (error) {
      if (!(error instanceof ClientError && FILE_LEVEL.has(error.status))) throw error
      rejects.push({ row: i + 1, code: error.code, message: describeClientError(error) })
      if (o.strict) break
    }
  }
  const failed = o.strict && rejects.length > 0
  if (failed) await removeAll(created, (id) => ignoreGone(o.storage.delete(id)))
  return {
    kind: 'files',
    name: 'files',
    source: o.source,
    status: o.signal?.aborted ? 'interrupted' : failed ? 'failed' : 'seeded',
    created: failed ? 0 : created.length,
    unchanged,
    rejected: rejects.length,
    rejects,
    durationMs: Math.round(performance.now() - started),
    note: failed ? `--strict: the first rejection stopped files; ${created.length ? `the ${created.length} files this run had uploaded were deleted again` : 'this run had uploaded none'}` : null,
  }
}

/** The seed keys of the environment's files (all of them: a secret key lists every file). */
async function seededKeys(storage: StorageClient): Promise<Set<string>> {
  const keys = new Set<string>()
  for (let page = 1; ; page++) {
    const { items, pagination } = await storage.list({ page, limit: 100 })
    for (const file of items) {
      const key = file.metadata?.[SEED_KEY]
      if (typeof key === 'string') keys.add(key)
    }
    if (!pagination.hasNext) return keys
  }
}
