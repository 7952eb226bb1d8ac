import { expect } from 'chai'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, put, uploadFile, type As, type Json } from './storage-helpers.js'

/** A real picture: a gradient, so encoders have detail to keep or lose. */
async function picture(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i += 1) {
    const x = i % width
    const y = Math.floor(i / width)
    pixels[i * 3] = (x * 255) / width
    pixels[i * 3 + 1] = (y * 255) / height
    pixels[i * 3 + 2] = (x * y) % 256
  }
  const image = sharp(pixels, { raw: { width, height, channels: 3 } })
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 95 }).toBuffer()
}

describe('http: image transformations at /_emulator/img', function () {
  this.timeout(20_000)
  let emu: TestEmulator
  let admin: As
  beforeEach(async () => {
    emu = await startEmulator()
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  const publish = (bytes: Buffer, mimeType: string) => uploadFile(emu, admin, bytes, { visibility: 'public', mimeType, originalName: 'photo' })
  const image = async (prefix: string, file: Json) => {
    const response = await fetch(`${emu.url}/_emulator/img/${prefix}${file.key}`)
    expect(response.status).to.equal(200)
    const bytes = Buffer.from(await response.arrayBuffer())
    return { response, bytes, outcome: response.headers.get('x-emulator-image-transform'), type: response.headers.get('content-type') }
  }
  const variantsDir = (file: Json) => join(emu.dataDir, 'storage', emu.seed.environment.id, 'variants', file.id as string)
  const variantsOf = (file: Json) => readdir(variantsDir(file)).catch(() => [])

  it('fit-in/WxH fits the picture inside the box, keeping its aspect ratio and format', async () => {
    const file = await publish(await picture(400, 300, 'png'), 'image/png')
    const { bytes, outcome, type } = await image('fit-in/100x100/', file)
    expect(outcome).to.equal('applied')
    expect(type).to.equal('image/png')
    const meta = await sharp(bytes).metadata()
    expect([meta.format, meta.width, meta.height]).to.deep.equal(['png', 100, 75])
  })

  it('fit-in never enlarges; WxH without fit-in fills the box exactly, cropping; 0 keeps the ratio', async () => {
    const file = await publish(await picture(400, 300, 'jpeg'), 'image/jpeg')
    const inside = await sharp((await image('fit-in/800x800/', file)).bytes).metadata()
    expect([inside.width, inside.height]).to.deep.equal([400, 300])
    const filled = await sharp((await image('200x200/smart/', file)).bytes).metadata()
    expect([filled.format, filled.width, filled.height]).to.deep.equal(['jpeg', 200, 200])
    const proportional = await sharp((await image('200x0/', file)).bytes).metadata()
    expect([proportional.width, proportional.height]).to.deep.equal([200, 150])
  })

  it('filters:format() re-encodes and quality() changes the encoding', async () => {
    const file = await publish(await picture(300, 200, 'png'), 'image/png')
    const webp = await image('filters:format(webp)/', file)
    expect(webp.type).to.equal('image/webp')
    const meta = await sharp(webp.bytes).metadata()
    expect([meta.format, meta.width, meta.height]).to.deep.equal(['webp', 300, 200])
    const low = await image('fit-in/300x0/filters:quality(10):format(jpeg)/', file)
    const high = await image('fit-in/300x0/filters:quality(95):format(jpeg)/', file)
    expect(low.type).to.equal('image/jpeg')
    expect((await sharp(low.bytes).metadata()).format).to.equal('jpeg')
    expect(low.bytes.length).to.be.lessThan(high.bytes.length)
  })

  it('caches each variant on disk, serves it again from there, and drops variants with their original', async () => {
    const file = await publish(await picture(400, 300, 'png'), 'image/png')
    const first = await image('fit-in/50x50/', file)
    const cached = await variantsOf(file)
    expect(cached.length).to.equal(1)
    const second = await image('fit-in/50x50/', file)
    expect(second.bytes.equals(first.bytes)).to.equal(true)
    expect(second.response.headers.get('etag')).to.equal(first.response.headers.get('etag'))
    expect(await variantsOf(file)).to.deep.equal(cached)
    // What is served comes from that file, not from a new rendering.
    const marker = await picture(7, 7, 'png')
    await writeFile(join(variantsDir(file), cached[0] as string), marker)
    expect((await image('fit-in/50x50/', file)).bytes.equals(marker)).to.equal(true)
    await image('fit-in/60x60/', file)
    expect((await variantsOf(file)).length).to.equal(2)

    // New bytes through the same upload URL: the old variants go, and a variant is made from the new picture.
    const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'p.png', contentType: 'image/png', visibility: 'public' })
    expect((await put(issued.body.url, await picture(100, 100, 'png'), 'image/png')).status).to.equal(200)
    const square = (await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, admin)).body
    expect((await image('fit-in/50x50/', square)).outcome).to.equal('applied')
    expect((await variantsOf(square)).length).to.equal(1)
    expect((await put(issued.body.url, await picture(200, 100, 'png'), 'image/png')).status).to.equal(200)
    expect(await variantsOf(square)).to.deep.equal([])
    const wide = await sharp((await image('fit-in/50x50/', square)).bytes).metadata()
    expect([wide.width, wide.height]).to.deep.equal([50, 25])

    expect((await call(emu, 'DELETE', `/v1/files/${square.id}`, admin)).status).to.equal(200)
    expect(await variantsOf(square)).to.deep.equal([])
  })

  it('serves the original, marked failed, for an unknown format, a bad quality, a box beyond 4096 or bytes that are no image', async () => {
    const png = await picture(64, 48, 'png')
    const file = await publish(png, 'image/png')
    const prefixes = ['filters:format(bmp)/', 'filters:format(toString)/', 'fit-in/10x10/filters:quality(0)/', 'fit-in/5000x10/']
    expect(prefixes.length).to.equal(4)
    for (const prefix of prefixes) {
      const { bytes, outcome, type } = await image(prefix, file)
      expect(outcome, prefix).to.equal('failed')
      expect(type).to.equal('image/png')
      expect(bytes.equals(png), prefix).to.equal(true)
    }
    const broken = await publish(png.subarray(0, 40), 'image/png')
    const cut = await image('fit-in/10x10/', broken)
    expect(cut.outcome).to.equal('failed')
    expect(cut.bytes.equals(png.subarray(0, 40))).to.equal(true)
    expect(await variantsOf(file)).to.deep.equal([])
  })

  it('without a transform, or with filters it does not know, serves the original unchanged', async () => {
    const png = await picture(64, 48, 'png')
    const file = await publish(png, 'image/png')
    for (const prefix of ['', 'fit-in/', 'smart/', 'filters:grayscale()/']) {
      const { bytes, outcome } = await image(prefix, file)
      expect(outcome, prefix).to.equal('none')
      expect(bytes.equals(png)).to.equal(true)
    }
  })

  it('a transformed variant honours a Range request', async () => {
    const file = await publish(await picture(400, 300, 'png'), 'image/png')
    const whole = (await image('fit-in/80x80/', file)).bytes
    const response = await fetch(`${emu.url}/_emulator/img/fit-in/80x80/${file.key}`, { headers: { Range: 'bytes=0-9' } })
    expect(response.status).to.equal(206)
    expect(response.headers.get('content-range')).to.equal(`bytes 0-9/${whole.length}`)
    expect(Buffer.from(await response.arrayBuffer()).equals(whole.subarray(0, 10))).to.equal(true)
  })
})
