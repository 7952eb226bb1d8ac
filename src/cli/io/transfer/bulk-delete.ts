import { ClientError } from '../../../client/errors.js'
import type { Query } from '../../../client/rest.js'
import type { DataApi } from '../../../client/runtime.js'
import { CliError, describeClientError } from '../../errors.js'

/** The list endpoint's largest page. */
const PAGE_SIZE = 100

export interface BulkDeleteRequest {
  data: DataApi
  table: string
  /** The list query that selects the records (filters only); empty for every record. */
  query: Query
  /** Deletes in flight at most. */
  concurrency: number
}

export interface BulkDeleteProgress {
  deleted: number
  total: number
}

export interface BulkDeleteSummary {
  table: string
  /** Records that matched when the delete started. */
  matched: number
  deleted: number
  /** Matched, but gone before their turn (deleted by someone else meanwhile). */
  alreadyGone: number
}

/** How many records the query selects now: what a confirmation shows before anything is deleted. */
export async function countMatching(data: DataApi, table: string, query: Query): Promise<number> {
  return (await data.list(table, { ...query, limit: 1, select: 'id' })).pagination.total
}

/**
 * Deletes every record the query selects, over the public REST API (so it works against the cloud as against the
 * emulator): the ids are listed first, oldest first, page by page, so deleting never shifts the pages still to be
 * read; then they are deleted one DELETE each, `concurrency` at a time. A record already gone counts as such; any
 * other failure stops the run, after the deletes in flight have settled, saying how many went.
 */
export async function bulkDelete(request: BulkDeleteRequest, onProgress?: (progress: BulkDeleteProgress) => void): Promise<BulkDeleteSummary> {
  const { data, table } = request
  const ids: string[] = []
  for (let page = 1; ; page++) {
    const result = await data.list(table, { ...request.query, sortBy: 'id', sortDirection: 'asc', select: 'id', limit: PAGE_SIZE, page })
    for (const record of result.items) ids.push(record.id)
    if (!result.pagination.hasNext || result.items.length === 0) break
  }
  const summary: BulkDeleteSummary = { table, matched: ids.length, deleted: 0, alreadyGone: 0 }
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  for (const id of ids) {
    if (failure) break
    const done = data.delete(table, id).then(
      () => void summary.deleted++,
      (error: unknown) => {
        if (error instanceof ClientError && error.status === 404) summary.alreadyGone++
        else failure ??= error
      },
    )
    const tracked: Promise<void> = done.finally(() => {
      inFlight.delete(tracked)
      onProgress?.({ deleted: summary.deleted + summary.alreadyGone, total: ids.length })
    })
    inFlight.add(tracked)
    if (inFlight.size >= request.concurrency) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  if (failure) {
    const reason = failure instanceof ClientError ? describeClientError(failure) : (failure as Error).message
    throw new CliError(`stopped after deleting ${summary.deleted} of ${ids.length} records from ${table}: ${reason}`, 'fix the cause and run the same command again: it deletes what still matches', 1, 'data/bulk-delete-stopped')
  }
  return summary
}
