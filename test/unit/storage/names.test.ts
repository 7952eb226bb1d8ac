import { expect } from 'chai'
import type { DomainError } from '../../../src/emulator/core/errors.js'
import { buildKey, checkFileName, checkMimeType, parseKey, sanitiseFileName } from '../../../src/emulator/core/storage/names.js'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return (error as DomainError).code
  }
  return undefined
}

describe('unit: storage names and keys', () => {
  const sanitised: Array<[string, string]> = [
    ['profile.jpg', 'profile.jpg'],
    ['photo 1.jpg', 'photo_1.jpg'],
    ['a  b\t(c).tar.gz', 'a_b_c_.tar.gz'],
    ['사진.png', '사진.png'],
    ['héllo wörld.txt', 'héllo_wörld.txt'],
    ['..hidden', 'hidden'],
    ['.env', 'env'],
    ['%2e%2e', '2e_2e'],
    ['???', 'file'],
    ['<script>.html', 'script_.html'],
  ]
  for (const [input, output] of sanitised) {
    it(`sanitises ${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => {
      expect(sanitiseFileName(input)).to.equal(output)
      expect(output).to.not.match(/[/\\]/)
    })
  }

  const names: Array<[unknown, string | undefined]> = [
    ['report.pdf', undefined],
    ['x'.repeat(255), undefined],
    ['x'.repeat(256), 'file/invalid-name'],
    ['', 'file/invalid-name'],
    ['   ', 'file/invalid-name'],
    ['a/b.txt', 'file/invalid-name'],
    ['a\\b.txt', 'file/invalid-name'],
    ['bell\u0007.txt', 'file/invalid-name'],
    ['.', 'file/invalid-name'],
    ['..', 'file/invalid-name'],
    [42, 'file/invalid-name'],
    [undefined, 'file/invalid-name'],
  ]
  for (const [input, code] of names) {
    it(`file name ${JSON.stringify(input)?.slice(0, 20) ?? 'undefined'} → ${code ?? 'ok'}`, () => {
      expect(codeOf(() => checkFileName(input))).to.equal(code)
    })
  }

  it('an originalName over 255 characters has its own code', () => {
    expect(codeOf(() => checkFileName('x'.repeat(256), 'originalName', 'file/original-name-too-long'))).to.equal('file/original-name-too-long')
  })

  const types: Array<[unknown, string | undefined]> = [
    ['image/jpeg', undefined],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', undefined],
    ['text/plain; charset=utf-8', undefined],
    ['image', 'file/invalid-format'],
    ['/jpeg', 'file/invalid-format'],
    ['image/', 'file/invalid-format'],
    [5, 'file/invalid-format'],
    [`a/${'b'.repeat(254)}`, 'file/mime-type-too-long'],
  ]
  for (const [input, code] of types) {
    it(`MIME type ${JSON.stringify(input)?.slice(0, 30)} → ${code ?? 'ok'}`, () => {
      expect(codeOf(() => checkMimeType(input))).to.equal(code)
    })
  }

  it('builds keys <bucket>/<ownerId>/<id>/<name> and parses them back', () => {
    const owner = '6b0000000000000000000001'
    const id = '6b0000000000000000000002'
    const key = buildKey('images', owner, id, 'my photo.jpg')
    expect(key).to.equal(`images/${owner}/${id}/my_photo.jpg`)
    expect(parseKey(key)).to.deep.equal({ bucket: 'images', ownerId: owner, id, name: 'my_photo.jpg' })
  })

  const badKeys: unknown[] = [
    'images/6b0000000000000000000001/6b0000000000000000000002',
    'nope/6b0000000000000000000001/6b0000000000000000000002/a',
    'images/xyz/6b0000000000000000000002/a',
    'images/6b0000000000000000000001/6b0000000000000000000002/a/b',
    'images/6b0000000000000000000001/6b0000000000000000000002/',
    `images/6b0000000000000000000001/6b0000000000000000000002/${'a'.repeat(1000)}`,
    42,
  ]
  for (const key of badKeys) {
    it(`does not parse ${String(key).slice(0, 50)}`, () => {
      expect(parseKey(key)).to.equal(null)
    })
  }
})
