/** A JSON-RPC id the answer can name: the request's own when it had a usable one. */
export type RpcId = string | number | null

/** Why a POST body is not a valid JSON-RPC message (or batch): answered -32600 before the SDK sees it. */
export interface InvalidMessage {
  id: RpcId
  message: string
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isId = (value: unknown): value is string | number => typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))

/**
 * Checks the JSON-RPC 2.0 envelope of every message (MCP-D20): the SDK answers a malformed message with -32700, as
 * if the JSON had not parsed, and an empty batch with a silent 202. Params are checked later, per method.
 */
export function invalidMessage(body: unknown): InvalidMessage | undefined {
  if (Array.isArray(body)) {
    if (body.length === 0) return { id: null, message: 'Invalid Request: an empty batch; send at least one message' }
    for (const [index, message] of body.entries()) {
      const problem = envelopeProblem(message)
      if (problem) return { id: idOf(message), message: `Invalid Request: batch message ${index}: ${problem}` }
    }
    return undefined
  }
  const problem = envelopeProblem(body)
  return problem ? { id: idOf(body), message: `Invalid Request: ${problem}` } : undefined
}

function envelopeProblem(message: unknown): string | undefined {
  if (!isObject(message)) return 'a JSON-RPC message is a JSON object'
  if (message.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"'
  if ('method' in message) {
    if (typeof message.method !== 'string' || message.method === '') return 'method must be a non-empty string'
    if ('id' in message && !isId(message.id)) return 'id must be a string or an integer'
    if ('params' in message && !isObject(message.params)) return 'params must be an object'
    return undefined
  }
  if (!isId(message.id)) return 'a message without a method is a response and needs the id of its request'
  if (('result' in message) === ('error' in message)) return 'a response carries exactly one of result and error'
  return undefined
}

function idOf(message: unknown): RpcId {
  return isObject(message) && isId(message.id) ? message.id : null
}
