import { MAX_PARTS, type Bucket, type Category, type FileView } from '../../../contract/storage.js'

/** Stored storage documents (in each environment's own database) and the vocabulary of rest-storage.md §1. */
export const S = {
  files: 'files',
  uploads: 'multipartUploads',
  parts: 'multipartParts',
  avatars: 'avatars',
} as const

export { BUCKETS, CATEGORIES, OWNER_TYPES, VISIBILITIES, type Bucket, type Category, type FileView, type OwnerType, type Visibility } from '../../../contract/storage.js'

/** Limits of rest-storage.md §5. */
export const LIMITS = {
  uploadUrlSeconds: 15 * 60,
  downloadUrlSeconds: 60 * 60,
  pendingSeconds: 24 * 60 * 60,
  maxPartNumber: MAX_PARTS,
  nameLength: 255,
  mimeTypeLength: 255,
  keyLength: 1024,
  defaultMaxFileSize: 5 * 1024 ** 3,
} as const

/** Where bytes that arrived through a signed URL sit, and what they were. */
export interface StoredBytes {
  size: number
  /** md5 hex of the bytes, without quotes. */
  etag: string
  contentType: string
}

/**
 * A file-metadata record: `pending` from the upload-URL request until registration makes it `active`. It keeps the
 * file object's own fields; `s3Key` and `publicUrl` are derived from `key` and `visibility` by `fileView`.
 */
export interface FileDoc extends Omit<FileView, 's3Key' | 'publicUrl' | 'metadata' | 'sharedWith'> {
  [key: string]: unknown
  status: 'pending' | 'active'
  /** The declared size while pending, the registered size once active. */
  size: number
  metadata: Record<string, unknown>
  sharedWith: string[]
  /** Set once bytes have arrived (single PUT or an assembled multipart upload). */
  bytes: StoredBytes | null
  /** The multipart upload filling this record, while one is open. */
  uploadId: string | null
  /** When an unactivated pending record (and its bytes) is discarded. */
  expiresAt: string
}

/** An open multipart upload (rest-storage.md §2.2). */
export interface UploadDoc {
  [key: string]: unknown
  /** The upload id: 32 hex. */
  id: string
  fileId: string
  key: string
  ownerId: string
  fileSize: number
  contentType: string
  expiresAt: string
  createdAt: string
}

/** One uploaded part; id `<uploadId>-<partNumber>`. */
export interface PartDoc {
  [key: string]: unknown
  id: string
  uploadId: string
  partNumber: number
  size: number
  etag: string
}

/** An avatar object (rest-auth.md §4.4): not a file record, never listed in `/v1/files`. */
export interface AvatarDoc {
  [key: string]: unknown
  id: string
  key: string
  userId: string
  status: 'pending' | 'active'
  mimeType: string
  bytes: StoredBytes | null
  expiresAt: string
  createdAt: string
}

/**
 * The public view for non-owners omits `metadata` and `sharedWith` (RS-D11). Without `extensions` (cloud-parity
 * mode) the extension fields `publicUrl` and `sharedWith` are absent, as in the hosted service's file objects.
 */
export function fileView(doc: FileDoc, publicBase: string, full: boolean, extensions = true): FileView {
  const view: FileView = {
    id: doc.id,
    s3Key: doc.key,
    key: doc.key,
    originalName: doc.originalName,
    mimeType: doc.mimeType,
    size: doc.size,
    width: doc.width,
    height: doc.height,
    visibility: doc.visibility,
    bucket: doc.bucket,
    category: doc.category,
    ownerId: doc.ownerId,
    ownerType: doc.ownerType,
    ...(extensions ? { publicUrl: doc.visibility === 'public' ? publicObjectUrl(publicBase, doc.key) : null } : {}),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  }
  if (full) view.metadata = doc.metadata
  if (full && extensions) view.sharedWith = doc.sharedWith
  return view
}

/** `<base>/_emulator/storage/public/<key>`, each key segment percent-encoded. */
export function publicObjectUrl(publicBase: string, key: string): string {
  return `${publicBase}/_emulator/storage/public/${key.split('/').map(encodeURIComponent).join('/')}`
}

/** The default bucket of a category (§1.3). */
export function bucketOf(category: Category | null): Bucket {
  return category === 'images' || category === 'documents' || category === 'media' || category === 'temp' ? category : 'files'
}
