import type { Denial } from '../../../contract/request-log.js'

/**
 * Where the permission evaluator notes a decision that is not a refusal (a list that permissions or row filters
 * narrowed): the HTTP layer passes its request, whose `denial` the request log reads; other callers pass nothing.
 */
export interface DecisionTrace {
  denial: Denial | null
}
