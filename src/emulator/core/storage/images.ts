import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { SharpConstructor as SharpModule } from 'sharp'
import type { BlobKey } from '../../store/store.js'
import type { StorageDeps } from './context.js'
import type { StoredObject, Transfer } from './transfer.js'

/** Image-CDN path segments before the key: `fit-in`, `<w>x<h>`, `smart`, `filters:…`. */
const SEGMENT = /^(fit-in|\d*x\d*|smart|filters:.*)$/
/** Output formats `format()` accepts, and what each is served as. */
const FORMATS = { jpeg: 'image/jpeg', jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif' } as const
type FormatName = keyof typeof FORMATS
/** Largest side a transform may ask for, and the largest original it decodes: beyond them the original is served. */
export const IMAGE_LIMITS = { maxSide: 4096, maxInputBytes: 50 * 1024 * 1024 } as const
/** Part of every cache digest: changing how variants are encoded changes it, so old variants are never served. */
const ENCODING = 'v1'

/** What an image URL asks for; `null` sides keep the aspect ratio. */
export interface ImageTransform {
  fitIn: boolean
  smart: boolean
  width: number | null
  height: number | null
  quality: number | null
  format: FormatName | null
}

/** `applied`: resized or re-encoded; `none`: nothing was asked; `failed`: could not be done, the original is served. */
export type TransformOutcome = 'applied' | 'none' | 'failed'

/** Why a transform cannot be done; the original is served instead. */
class TransformError extends Error {}

/**
 * Splits `[fit-in/][<w>x<h>/][smart/][filters:<name>(<args>)[:…]/]<key>` into the key and the transform; `null` when
 * nothing that changes the bytes is asked. Unknown filters are ignored, as an image CDN does with filters it lacks.
 */
export function parseImagePath(path: string): { key: string; transform: ImageTransform | null } {
  const segments = path.split('/')
  let start = 0
  while (start < segments.length - 1 && SEGMENT.test(segments[start] as string)) start += 1
  const transform: ImageTransform = { fitIn: false, smart: false, width: null, height: null, quality: null, format: null }
  for (const segment of segments.slice(0, start)) {
    if (segment === 'fit-in') transform.fitIn = true
    else if (segment === 'smart') transform.smart = true
    else if (segment.startsWith('filters:')) filters(segment.slice('filters:'.length), transform)
    else {
      const [width, height] = segment.split('x').map((side) => (side === '' || Number(side) === 0 ? null : Number(side)))
      transform.width = width ?? null
      transform.height = height ?? null
    }
  }
  const key = segments.slice(start).join('/')
  const changes = transform.width !== null || transform.height !== null || transform.quality !== null || transform.format !== null
  return { key, transform: changes ? transform : null }
}

function filters(text: string, transform: ImageTransform): void {
  for (const [, name, args] of text.matchAll(/([a-z_]+)\(([^)]*)\)/g)) {
    if (name === 'quality') {
      const quality = Number(args)
      transform.quality = Number.isInteger(quality) && quality >= 1 && quality <= 100 ? quality : Number.NaN
    } else if (name === 'format') {
      transform.format = (args as string).toLowerCase() as FormatName
    }
  }
}

let loading: Promise<SharpModule> | undefined

/** sharp (native libvips) is loaded on the first transform, so starting the emulator does not pay for it. */
function loadSharp(): Promise<SharpModule> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    // Variants are cached on disk; libvips' own operation cache would only hold memory.
    sharp.cache(false)
    return sharp
  })
  return loading
}

/**
 * The image-CDN stand-in (`/_emulator/img/…`): public objects resized and re-encoded with sharp, each variant
 * cached in the blob store next to its original (it goes when the original's bytes are replaced or removed).
 * Anything that cannot be transformed (not an image, an unknown format, a size beyond the limits) gets the original.
 */
export class Images {
  /** Variants being rendered: concurrent requests for one variant wait for the same work. */
  private readonly rendering = new Map<string, Promise<Buffer>>()

  constructor(
    private readonly deps: StorageDeps,
    private readonly transfer: Transfer,
  ) {}

  async serve(path: string): Promise<{ object: StoredObject; outcome: TransformOutcome }> {
    const { key, transform } = parseImagePath(path)
    const original = await this.transfer.publicObject(key)
    if (!transform) return { object: original, outcome: 'none' }
    try {
      check(transform)
      const digest = createHash('sha256').update(JSON.stringify([ENCODING, original.etag, transform])).digest('hex')
      const variant: BlobKey = { ...original.blob, variant: digest }
      const object = (await this.cached(variant, original, digest)) ?? fromBuffer(await this.render(variant, original, transform), variant, original, digest)
      return { object, outcome: 'applied' }
    } catch {
      return { object: original, outcome: 'failed' }
    }
  }

  /** A variant rendered before, streamed from the blob store; its type read from its first bytes. */
  private async cached(variant: BlobKey, original: StoredObject, digest: string): Promise<StoredObject | null> {
    const size = await this.deps.blobs.size(variant)
    if (size === null) return null
    const head = Buffer.concat(await this.deps.blobs.read(variant, { start: 0, end: 15 }).toArray())
    return { ...describe(head, original, digest), size, blob: variant, stream: (range) => this.deps.blobs.read(variant, range) }
  }

  private render(variant: BlobKey, original: StoredObject, transform: ImageTransform): Promise<Buffer> {
    const id = JSON.stringify(variant)
    let work = this.rendering.get(id)
    if (!work) {
      work = (async () => {
        if (original.size > IMAGE_LIMITS.maxInputBytes) throw new TransformError('original too large')
        const input = Buffer.concat(await original.stream().toArray())
        const output = await encode(await loadSharp(), input, transform)
        const staged = await this.deps.blobs.stage(variant.environmentId, Readable.from([output]), output.length)
        await staged.commit(variant)
        return output
      })().finally(() => this.rendering.delete(id))
      this.rendering.set(id, work)
    }
    return work
  }
}

function check(transform: ImageTransform): void {
  if (transform.format !== null && !Object.hasOwn(FORMATS, transform.format)) throw new TransformError(`unknown format ${transform.format}`)
  if (Number.isNaN(transform.quality)) throw new TransformError('quality must be 1–100')
  for (const side of [transform.width, transform.height]) if (side !== null && side > IMAGE_LIMITS.maxSide) throw new TransformError('too large')
}

/** `fit-in` fits inside the box without enlarging; otherwise the box is filled and cropped (`smart`: around what draws the eye). */
async function encode(sharp: SharpModule, input: Buffer, transform: ImageTransform): Promise<Buffer> {
  let image = sharp(input).rotate()
  const { format: inputFormat } = await image.metadata()
  if (transform.width !== null || transform.height !== null) {
    image = image.resize({
      width: transform.width ?? undefined,
      height: transform.height ?? undefined,
      fit: transform.fitIn ? 'inside' : 'cover',
      withoutEnlargement: transform.fitIn,
      position: transform.smart ? sharp.strategy.attention : 'centre',
    })
  }
  const requested = transform.format ?? inputFormat
  const format = requested !== undefined && Object.hasOwn(FORMATS, requested) ? (requested as FormatName) : 'png'
  const quality = transform.quality ?? undefined
  if (format === 'jpeg' || format === 'jpg') return image.jpeg({ quality }).toBuffer()
  if (format === 'webp') return image.webp({ quality }).toBuffer()
  if (format === 'avif') return image.avif({ quality }).toBuffer()
  if (format === 'gif') return image.gif().toBuffer()
  return image.png().toBuffer()
}

/** How a variant is served: its type read from its own first bytes, its ETag from what produced it. */
function describe(head: Buffer, original: StoredObject, digest: string): Pick<StoredObject, 'mimeType' | 'filename' | 'etag'> {
  return { mimeType: sniff(head) ?? original.mimeType, filename: original.filename, etag: digest.slice(0, 32) }
}

/** A variant just rendered, served from memory. */
function fromBuffer(bytes: Buffer, variant: BlobKey, original: StoredObject, digest: string): StoredObject {
  return {
    ...describe(bytes, original, digest),
    size: bytes.length,
    blob: variant,
    stream: (range) => Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  }
}

function sniff(bytes: Buffer): string | null {
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to)
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return FORMATS.jpeg
  if (ascii(1, 4) === 'PNG') return FORMATS.png
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return FORMATS.webp
  if (ascii(0, 3) === 'GIF') return FORMATS.gif
  if (ascii(4, 12) === 'ftypavif') return FORMATS.avif
  return null
}
