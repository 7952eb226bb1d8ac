import { invalid } from '../errors.js'
import { isId } from '../ids.js'
import { BUCKETS, LIMITS, type Bucket } from './model.js'

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const MIME = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/

/**
 * A file name as given (`filename`, `originalName`): 1–255 characters (longer: `tooLong`), no separators or control
 * characters.
 */
export function checkFileName(value: unknown, field = 'filename', tooLong = 'file/invalid-name'): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid('file/invalid-name', `${field} must be a non-empty string`)
  if ([...value].length > LIMITS.nameLength) throw invalid(tooLong, `${field} must be at most ${LIMITS.nameLength} characters`)
  if (/[/\\]/.test(value) || CONTROL.test(value) || value === '.' || value === '..') {
    throw invalid('file/invalid-name', `${field} must not contain / or \\ or control characters, and must not be . or ..`)
  }
  return value
}

/** A MIME type `type/subtype` of at most 255 characters. */
export function checkMimeType(value: unknown, field = 'contentType'): string {
  if (typeof value !== 'string') throw invalid('file/invalid-format', `${field} must be a MIME type like image/jpeg`)
  if (value.length > LIMITS.mimeTypeLength) throw invalid('file/mime-type-too-long', `${field} must be at most ${LIMITS.mimeTypeLength} characters`)
  if (!MIME.test(value)) throw invalid('file/invalid-format', `${field} must be a MIME type like image/jpeg`)
  return value
}

/**
 * The last key segment: letters, digits, `.`, `-` and `_` survive, every other run of characters becomes one `_`,
 * so keys are safe in URLs and paths whatever users name their files.
 */
export function sanitiseFileName(name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+/, '')
  return safe === '' ? 'file' : safe
}

/** `<bucket>/<ownerId>/<id>/<sanitised filename>` (rest-storage.md §1.3). */
export function buildKey(bucket: Bucket, ownerId: string, id: string, filename: string): string {
  return `${bucket}/${ownerId}/${id}/${sanitiseFileName(filename)}`
}

export interface KeyParts {
  bucket: Bucket
  ownerId: string
  /** The id of the record (file or avatar) the key was issued for. */
  id: string
  name: string
}

/** Splits a key the emulator issued; anything else is null. */
export function parseKey(key: unknown): KeyParts | null {
  if (typeof key !== 'string' || key.length > LIMITS.keyLength) return null
  const parts = key.split('/')
  if (parts.length !== 4) return null
  const [bucket, ownerId, id, name] = parts as [string, string, string, string]
  if (!(BUCKETS as readonly string[]).includes(bucket) || !isId(ownerId) || !isId(id) || name === '') return null
  return { bucket: bucket as Bucket, ownerId, id, name }
}
