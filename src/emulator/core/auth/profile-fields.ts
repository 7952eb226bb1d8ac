import { cloudOnly, invalid } from '../errors.js'
import { BUILT_IN_ROLES } from '../principal.js'
import { normalizeEmail, type UserDoc } from './model.js'

const MOBILE = /^\+[1-9][0-9]{1,14}$/
const GENDERS = ['none', 'male', 'female', 'etc']
const SOCIAL = ['github', 'twitter', 'linkedin']
export const ROLE = /^[a-z][a-z0-9_-]{0,31}$/

const bad = (field: string, message: string) => invalid('common/invalid-parameters', `${field} ${message}`, [{ field, rule: 'format', message }])

export function checkName(value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0 || [...value].length > 100) throw invalid('user/invalid-name', 'name must be a string of 1 to 100 characters')
  return value.trim()
}

/** A role name; custom names (RA-D19) only when `customRoles`, which cloud-parity mode turns off (README-D12). */
export function checkRole(value: unknown, customRoles: boolean): string {
  if (!customRoles) {
    if (typeof value !== 'string' || !(BUILT_IN_ROLES as readonly string[]).includes(value)) {
      const error = invalid('user/invalid-role', 'role must be admin, user or guest')
      throw typeof value === 'string' && ROLE.test(value) ? cloudOnly(error, 'custom role names') : error
    }
    return value
  }
  if (typeof value !== 'string' || !ROLE.test(value)) throw invalid('user/invalid-role', 'role must be admin, user, guest or a custom role name matching ^[a-z][a-z0-9_-]{0,31}$')
  return value
}

/** The fields `PATCH /v1/users/:userId` and `PATCH /v1/users/:userId/profile` change (rest-auth.md §4.2–4.3). */
export const PROFILE_KEYS = ['name', 'nickname', 'mobile', 'gender', 'bio', 'socialLinks']

/** Profile fields that are shown but changed elsewhere: email by verification (§3.6), image by the avatar endpoints. */
const READ_ONLY_KEYS = ['email', 'image']

/** Profile object (§4.3); others reading a public profile see neither email nor mobile. */
export interface ProfileView {
  name: string
  nickname: string | null
  email?: string
  mobile?: string | null
  gender: string | null
  bio: string | null
  socialLinks: Record<string, string | null> | null
  image: string | null
}

export function profileView(user: UserDoc, withContact: boolean): ProfileView {
  const { name, nickname, email, mobile, gender, bio, socialLinks, image } = user
  return withContact ? { name, nickname, email, mobile, gender, bio, socialLinks, image } : { name, nickname, gender, bio, socialLinks, image }
}

/**
 * A profile PATCH body applied to a user: unknown keys are refused; `email` and `image` are accepted only
 * unchanged, so a client may send back the profile it read.
 */
export function patchProfile(user: UserDoc, body: Record<string, unknown>): UserDoc {
  for (const key of Object.keys(body)) {
    if (PROFILE_KEYS.includes(key)) continue
    if (READ_ONLY_KEYS.includes(key)) {
      const same = key === 'email' ? normalizeEmail(body.email) === user.email : body.image === user.image
      if (!same) throw bad(key, key === 'email' ? 'changes through email verification (POST /v1/auth/email/verify/send), not here' : 'changes through the avatar endpoints, not here')
      continue
    }
    throw invalid('common/invalid-parameters', `Unknown field ${key}; allowed: ${PROFILE_KEYS.join(', ')}`, [{ field: key, rule: 'unknown', message: `allowed: ${PROFILE_KEYS.join(', ')}` }])
  }
  return applyProfile(user, body)
}

/** Applies the profile fields of rest-auth.md §4.3 present in `body`; `null` clears, socialLinks merge per key. */
function applyProfile(user: UserDoc, body: Record<string, unknown>): UserDoc {
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
