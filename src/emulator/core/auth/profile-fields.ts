import { invalid } from '../errors.js'
import type { UserDoc } from './model.js'

const MOBILE = /^\+[1-9][0-9]{1,14}$/
const GENDERS = ['none', 'male', 'female', 'etc']
const SOCIAL = ['github', 'twitter', 'linkedin']
export const ROLE = /^[a-z][a-z0-9_-]{0,31}$/

const bad = (field: string, message: string) => invalid('common/invalid-parameters', `${field} ${message}`, [{ field, rule: 'format', message }])

export function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > 100) throw invalid('user/invalid-name', 'name must be a string of 1 to 100 characters')
  return value.trim()
}

export function checkRole(value: unknown): string {
  if (typeof value !== 'string' || !ROLE.test(value)) throw invalid('user/invalid-role', 'role must be admin, user, guest or a custom role name matching ^[a-z][a-z0-9_-]{0,31}$')
  return value
}

/** Applies the profile fields of rest-auth.md §4.3 present in `body`; `null` clears, socialLinks merge per key. */
export function applyProfile(user: UserDoc, body: Record<string, unknown>): UserDoc {
  const next: UserDoc = { ...user }
  if ('name' in body) next.name = checkName(body.name)
  if ('nickname' in body) {
    const v = body.nickname
    if (v !== null && (typeof v !== 'string' || v.trim().length === 0 || [...v].length > 50)) throw invalid('user/invalid-nickname', 'nickname must be 1 to 50 characters or null')
    next.nickname = v === null ? null : (v as string).trim()
  }
  if ('mobile' in body) {
    const v = body.mobile
    if (v !== null && (typeof v !== 'string' || v.length > 20 || !MOBILE.test(v))) throw bad('mobile', 'must be an E.164 number like +821012345678, or null')
    next.mobile = v as string | null
  }
  if ('gender' in body) {
    const v = body.gender
    if (v !== null && (typeof v !== 'string' || !GENDERS.includes(v))) throw bad('gender', `must be one of ${GENDERS.join(', ')}, or null`)
    next.gender = v as string | null
  }
  if ('bio' in body) {
    const v = body.bio
    if (v !== null && (typeof v !== 'string' || [...v].length > 500)) throw bad('bio', 'must be at most 500 characters, or null')
    next.bio = v as string | null
  }
  if ('socialLinks' in body) {
    const v = body.socialLinks
    if (v === null) next.socialLinks = null
    else {
      if (typeof v !== 'object' || Array.isArray(v)) throw bad('socialLinks', 'must be an object with github, twitter, linkedin, or null')
      const merged: Record<string, string | null> = { ...(user.socialLinks ?? {}) }
      for (const [key, link] of Object.entries(v as Record<string, unknown>)) {
        if (!SOCIAL.includes(key)) throw bad('socialLinks', `may only hold ${SOCIAL.join(', ')}`)
        if (link !== null && (typeof link !== 'string' || link.length > 2048)) throw bad(`socialLinks.${key}`, 'must be a string of at most 2048 characters, or null')
        merged[key] = link as string | null
      }
      next.socialLinks = merged
    }
  }
  return next
}
