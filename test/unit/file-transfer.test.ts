import { expect } from 'chai'
import { contentTypeFor } from '../../src/client/content-type.js'
import { partSizeFor } from '../../src/client/storage.js'
import { parseSize } from '../../src/cli/io/sizes.js'
import { formatBytes, formatRate } from '../../src/ui/format.js'
import { transferSettings } from '../../src/cli/io/transfer-flags.js'
import { safeFileName } from '../../src/cli/io/file-transfer.js'

const MiB = 1024 * 1024

describe('unit: file transfer settings', () => {
  for (const [text, bytes] of [
    ['0', 0],
    ['1048576', MiB],
    ['512k', 512 * 1024],
    ['16M', 16 * MiB],
    ['16MB', 16 * MiB],
    ['16 MiB', 16 * MiB],
    ['1.5g', 1.5 * 1024 * MiB],
    ['5GiB', 5 * 1024 * MiB],
  ] as const) {
    it(`reads the size "${text}" as ${bytes} bytes`, () => expect(parseSize('part-size', text)).to.equal(bytes))
  }

  for (const text of ['', 'sixteen', '16T', '-1M', '16 M B']) {
    it(`refuses the size "${text}" as a usage error naming the flag`, () => {
      expect(() => parseSize('part-size', text)).to.throw(`--part-size "${text}" is not a size`).with.property('exitCode', 2)
    })
  }

  it('keeps parts between 5 MiB and 5 GiB, the range S3-backed storage accepts', () => {
    expect(transferSettings({ 'multipart-threshold': '64M', 'part-size': '5M', concurrency: 4 })).to.deep.equal({ multipartThreshold: 64 * MiB, partSize: 5 * MiB, concurrency: 4 })
    expect(() => transferSettings({ 'multipart-threshold': '64M', 'part-size': '4M', concurrency: 4 })).to.throw('outside 5M–5G')
    expect(() => transferSettings({ 'multipart-threshold': '64M', 'part-size': '6G', concurrency: 4 })).to.throw('outside 5M–5G')
  })

  it('raises the part size only when a file would need more than 10,000 parts', () => {
    expect(partSizeFor(300 * MiB, 16 * MiB)).to.equal(16 * MiB)
    expect(partSizeFor(10_000 * 16 * MiB, 16 * MiB)).to.equal(16 * MiB)
    const huge = 10_000 * 16 * MiB + 1
    expect(Math.ceil(huge / partSizeFor(huge, 16 * MiB))).to.equal(10_000)
  })

  it('formats byte counts and rates in binary units', () => {
    expect(formatBytes(300)).to.equal('300 B')
    expect(formatBytes(1536)).to.equal('1.5 KiB')
    expect(formatBytes(300 * MiB)).to.equal('300.0 MiB')
    expect(formatBytes(5 * 1024 * MiB)).to.equal('5.0 GiB')
    expect(formatRate(100 * MiB, 2000)).to.equal('50.0 MiB/s')
  })

  for (const [name, type] of [
    ['photo.JPG', 'image/jpeg'],
    ['clip.mp4', 'video/mp4'],
    ['report.pdf', 'application/pdf'],
    ['data.tar.gz', 'application/gzip'],
    ['README', 'application/octet-stream'],
    ['archive.unknownext', 'application/octet-stream'],
  ] as const) {
    it(`guesses ${type} for ${name}`, () => expect(contentTypeFor(name)).to.equal(type))
  }

  for (const [stored, onDisk] of [
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', '.._.._etc_passwd'],
    ['a\\b.txt', 'a_b.txt'],
    ['..', 'download'],
    ['.', 'download'],
    ['  ', 'download'],
    ['bell\u0007.txt', 'bell.txt'],
    ['.env', '.env'],
  ] as const) {
    it(`downloads a file stored as ${JSON.stringify(stored)} under the name ${JSON.stringify(onDisk)}`, () => expect(safeFileName(stored)).to.equal(onDisk))
  }
})
