import { createHash, randomBytes } from 'node:crypto'

const processRandom = randomBytes(5).toString('hex')
// note: the counter starts in the lower half, so it cannot wrap (and break the order) within one second unless a
// process creates over 8 million ids in that second.
let counter = randomBytes(3).readUIntBE(0, 3) & 0x7fffff

/**
 * A 24-hex id ordered by creation like a MongoDB ObjectId: 4-byte seconds, 5-byte per-process random, 3-byte
 * counter. Ids created later in one process always sort after earlier ones.
 */
export function newId(nowMs: number = Date.now()): string {
  counter = (counter + 1) % 0x1000000
  const seconds = Math.floor(nowMs / 1000) >>> 0
  return seconds.toString(16).padStart(8, '0') + processRandom + counter.toString(16).padStart(6, '0')
}

const ID = /^[0-9a-f]{24}$/

/** True for a well-formed entity id (24 lowercase hex). */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value)
}

/** `count` CSPRNG bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/** SHA-256 of a secret as lowercase hex: how one-time tokens, codes and refresh tokens are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}
