import { expect } from 'chai'
import { nextOrigins, type CorsChange } from '../../src/cli/cors.js'
import { senderUpdate, type SenderFlags } from '../../src/cli/email-settings.js'
import { usageError } from '../helpers/usage-error.js'
import { metadataFromPairs } from '../../src/cli/io/file-metadata.js'

const change = (partial: Partial<CorsChange>): CorsChange => ({ origins: [], add: [], remove: [], clear: false, ...partial })

describe('cli: console command input (CORS changes, file metadata, sender flags)', () => {
  const current = ['https://a.test', 'http://localhost:3000']
  const origins: Array<[string, Partial<CorsChange>, string[]]> = [
    ['a list replaces', { origins: ['https://b.test'] }, ['https://b.test']],
    ['a list keeps its order and drops repeats (trailing slash or not)', { origins: ['https://b.test', 'https://a.test', 'https://b.test/'] }, ['https://b.test', 'https://a.test']],
    ['--clear empties', { clear: true }, []],
    ['--add appends', { add: ['https://c.test'] }, ['https://a.test', 'http://localhost:3000', 'https://c.test']],
    ['--add of one already there adds nothing', { add: ['https://a.test/'] }, current],
    ['--remove drops, trailing slash or not', { remove: ['http://localhost:3000/'] }, ['https://a.test']],
    ['--remove and --add together', { remove: ['https://a.test'], add: ['https://d.test'] }, ['http://localhost:3000', 'https://d.test']],
    ['a fourth origin is passed on for the server to refuse', { add: ['https://c.test', 'https://d.test'] }, [...current, 'https://c.test', 'https://d.test']],
  ]
  for (const [name, partial, expected] of origins) {
    it(`CORS: ${name}`, () => {
      expect(nextOrigins(current, change(partial))).to.deep.equal(expected)
    })
  }

  const refusedOrigins: Array<[string, Partial<CorsChange>, string]> = [
    ['nothing', {}, 'nothing to change'],
    ['a list with --add', { origins: ['https://b.test'], add: ['https://c.test'] }, 'give either the whole list'],
    ['--clear with --remove', { clear: true, remove: ['https://a.test'] }, 'give either the whole list'],
    ['--clear with a list', { clear: true, origins: ['https://b.test'] }, '--clear removes every origin'],
    ['removing one not there', { remove: ['https://x.test'] }, 'https://x.test is not an allowed origin'],
  ]
  for (const [name, partial, message] of refusedOrigins) {
    it(`CORS refuses ${name}`, () => {
      expect(usageError(() => nextOrigins(current, change(partial))).message).to.include(message)
    })
  }

  it('metadata pairs: JSON values as such, anything else as text, null to remove', () => {
    expect(metadataFromPairs(['alt=Profile photo', 'rank=3', 'pinned=true', 'tags=["a","b"]', 'custom={"k":1}', 'gone=null', 'quoted="42"', 'eq=a=b', 'empty='])).to.deep.equal({
      alt: 'Profile photo',
      rank: 3,
      pinned: true,
      tags: ['a', 'b'],
      custom: { k: 1 },
      gone: null,
      quoted: '42',
      eq: 'a=b',
      empty: '',
    })
    expect(metadataFromPairs([])).to.deep.equal({})
  })

  for (const [pairs, message] of [[['alt'], '--metadata "alt" is not key=value'], [['=x'], '--metadata "=x" is not key=value'], [['a=1', 'a=2'], '--metadata a is given twice']] as const) {
    it(`metadata refuses ${JSON.stringify(pairs)}`, () => {
      expect(usageError(() => metadataFromPairs([...pairs])).message).to.equal(message)
    })
  }

  const senders: Array<[SenderFlags, object]> = [
    [{ name: 'Shop', email: 'hi@shop.test' }, { senderName: 'Shop', senderEmail: 'hi@shop.test' }],
    [{ 'brand-color': '#1a73E8', 'logo-url': 'https://shop.test/logo.png' }, { brandColor: '#1a73E8', logoUrl: 'https://shop.test/logo.png' }],
    [{ 'brand-color': 'none', 'logo-url': 'NONE' }, { brandColor: null, logoUrl: null }],
    [{ 'override-defaults': false }, { overrideDefaults: false }],
  ]
  for (const [flags, body] of senders) {
    it(`sender flags ${JSON.stringify(flags)} → ${JSON.stringify(body)}`, () => {
      expect(senderUpdate(flags)).to.deep.equal(body)
    })
  }

  for (const colour of ['red', '#12345', '#1234567', '1A73E8', '#GGGGGG']) {
    it(`sender refuses the colour ${colour}`, () => {
      const error = usageError(() => senderUpdate({ name: 'Shop', 'brand-color': colour }))
      expect(error.message).to.equal(`--brand-color must be a hex colour #RRGGBB, not "${colour}"`)
      expect(error.hint).to.include('--brand-color none')
    })
  }

  it('sender refuses no change at all', () => {
    expect(usageError(() => senderUpdate({})).message).to.equal('nothing to change')
  })
})
