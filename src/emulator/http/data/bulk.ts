import { BULK_INSERT_PATH, MAX_BULK_BYTES, MAX_BULK_RECORDS, type BulkInsertResponse, type BulkInsertResult } from '../../../contract/data-bulk.js'
import { DomainError, invalid } from '../../core/errors.js'
import { principalHandler, scopeOf } from '../middleware/context.js'
import { statusOf } from '../middleware/errors.js'
import type { Surface } from '../surface.js'

/**
 * `POST /_emulator/data/:tableName/bulk` (extension): a JSON array of records, each created exactly as
 * `POST /v1/data/:tableName` would (the same key, permissions, defaults, validation and unique checks), answered
 * one by one in order, and journaled as one line (all or none after a crash). `bkend seed` and `bkend data import`
 * send local rows through it: one request and one journal line per few hundred records instead of one per record.
 * A table the key may not write, or a body that is not an array, refuses the whole request.
 */
export function registerBulkData({ app, core, limiter }: Surface): void {
  app.post<{ Params: { tableName: string } }>(BULK_INSERT_PATH, { bodyLimit: MAX_BULK_BYTES, preHandler: principalHandler(core, limiter) }, async (request): Promise<BulkInsertResponse> => {
    const { scope, principal } = scopeOf(request)
    const table = core.records.open(scope.environment.id, request.params.tableName, principal, 'create')
    const body: unknown = request.body
    if (!Array.isArray(body) || body.length > MAX_BULK_RECORDS) throw invalid('common/invalid-parameters', `Send a JSON array of at most ${MAX_BULK_RECORDS} records`)
    const created = await core.records.createMany(table, principal, body)
    const results = created.map((outcome): BulkInsertResult => {
      if (!(outcome instanceof DomainError)) return { id: outcome.id }
      return { statusCode: statusOf(outcome), error: { code: outcome.code, message: outcome.message, ...(outcome.details ? { details: outcome.details } : {}) } }
    })
    return { results }
  })
}
