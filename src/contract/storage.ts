/** The storage vocabulary of rest-storage.md §1, shared by the emulator and the CLI. */

export const VISIBILITIES = ['public', 'private', 'protected', 'shared'] as const
export const BUCKETS = ['avatars', 'documents', 'media', 'files', 'images', 'temp'] as const
export const CATEGORIES = ['images', 'documents', 'media', 'attachments', 'exports', 'backups', 'temp'] as const
export const OWNER_TYPES = ['user', 'session', 'service', 'public'] as const

export type Visibility = (typeof VISIBILITIES)[number]
export type Bucket = (typeof BUCKETS)[number]
export type Category = (typeof CATEGORIES)[number]
export type OwnerType = (typeof OWNER_TYPES)[number]

/** Most parts one multipart upload may have (part numbers 1–10000). */
export const MAX_PARTS = 10_000

/** The file object of rest-storage.md §1.2 (full view); non-owners get it without `metadata` and `sharedWith`. */
export interface FileView {
  id: string
  s3Key: string
  key: string
  originalName: string
  mimeType: string
  size: number
  width: number | null
  height: number | null
  visibility: Visibility
  bucket: Bucket
  category: Category | null
  ownerId: string
  ownerType: OwnerType
  metadata?: Record<string, unknown>
  /** An extension, absent in cloud-parity mode, like `publicUrl`. */
  sharedWith?: string[]
  publicUrl?: string | null
  createdAt: string
  updatedAt: string
}
