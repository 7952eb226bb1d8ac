import { expect } from 'chai'
import { BoundedRegExp, boundedRegExpEngine, MAX_PATTERN_LENGTH, StepBudget } from '../../../src/emulator/core/data/query/regex.js'
import { DomainError } from '../../../src/emulator/core/errors.js'

describe('data/query/regex: the bounded regex engine', () => {
  const cases: Array<[pattern: string, flags: string, input: string]> = [
    ['^ab+c$', '', 'abbbc'],
    ['^ab+c$', '', 'ac'],
    ['hello', 'i', 'say HELLO'],
    ['hello', '', 'say HELLO'],
    ['^b', 'm', 'a\nb'],
    ['^b', '', 'a\nb'],
    ['a$', 'm', 'a\nb'],
    ['a.c', 's', 'a\nc'],
    ['a.c', '', 'a\nc'],
    ['\\bcat\\b', '', 'the cat sat'],
    ['\\bcat\\b', '', 'concatenate'],
    ['\\Bcat', '', 'concatenate'],
    ['[^x]{2,3}z', '', 'xxabz'],
    ['^a{2}$', '', 'aaa'],
    ['^a{2,}$', '', 'aaaa'],
    ['^(?:ab){2}$', '', 'abab'],
    ['^(?<word>ab)+$', '', 'ababab'],
    ['é', 'i', 'É'],
    ['a|b|c', '', 'zzc'],
    ['^(a|b)*c?$', '', 'abba'],
    ['x*', '', ''],
    ['\\d+-\\d+', '', 'call 555-1234'],
    ['\\p{L}+', '', '123'],
    ['😀', '', 'smile 😀'],
    ['^.$', '', '😀'],
    ['[a-c]+\\.', '', 'abc.'],
    ['\\u0041', '', 'A'],
    ['', '', 'anything'],
  ]
  for (const [pattern, flags, input] of cases) {
    it(`/${pattern}/${flags} on ${JSON.stringify(input)} agrees with RegExp`, () => {
      expect(new BoundedRegExp(pattern, flags).test(input)).to.equal(new RegExp(pattern, `u${flags}`).test(input))
    })
  }

  it('answers catastrophic-backtracking patterns in linear time', () => {
    const input = `${'a'.repeat(20000)}!`
    const started = Date.now()
    for (const pattern of ['(a+)+$', '^(a|a)*$', '(a*)*b', '^(a|aa)+$', '(.*a){12}$']) expect(new BoundedRegExp(pattern, '').test(input)).to.equal(false)
    expect(Date.now() - started).to.be.lessThan(3000)
  })

  const rejected: Array<[string, string, RegExp]> = [
    ['(?=a)', '', /lookahead/],
    ['(?<!a)b', '', /lookahead and lookbehind/],
    ['(a)\\1', '', /backreferences/],
    ['(?<n>a)\\k<n>', '', /backreferences/],
    ['[a', '', /Invalid regular expression/],
    ['(a', '', /Invalid regular expression/],
    ['a', 'g', /allowed options/],
    ['(a{100}){100}', '', /too large/],
    ['a'.repeat(MAX_PATTERN_LENGTH + 1), '', /limited to/],
  ]
  for (const [pattern, flags, message] of rejected) {
    it(`rejects ${JSON.stringify(pattern.slice(0, 20))}/${flags} with data/validation-error`, () => {
      let error: unknown
      try {
        new BoundedRegExp(pattern, flags)
      } catch (e) {
        error = e
      }
      expect(error).to.be.instanceOf(DomainError)
      expect((error as DomainError).code).to.equal('data/validation-error')
      expect((error as DomainError).message).to.match(message)
    })
  }

  it('stops with a 400 once its step budget is spent', () => {
    const regex = new BoundedRegExp('(a|b|c)*d', '', new StepBudget(10_000))
    expect(() => regex.test('abc'.repeat(10_000))).to.throw(DomainError, /too expensive/)
  })

  it('shares one budget between the regexes given it, so their steps add up', () => {
    const input = 'abc'.repeat(200)
    const alone = new StepBudget(10_000)
    expect(new BoundedRegExp('(a|b|c)*d', '', alone).test(input)).to.equal(false)
    expect(alone.spent).to.be.above(5_000).and.below(10_000)
    const shared = new StepBudget(10_000)
    const first = new BoundedRegExp('(a|b|c)*d', '', shared)
    const second = new BoundedRegExp('(a|b|c)*e', '', shared)
    expect(first.test(input)).to.equal(false)
    expect(() => second.test(input)).to.throw(DomainError, /10,000 matching steps in all/)
  })

  it('stops an anchored search once no attempt from the start can still match', () => {
    const budget = new StepBudget(1_000)
    const input = `foo${'x'.repeat(1_000_000)}`
    expect(new BoundedRegExp('^fo+x', '', budget).test(input)).to.equal(true)
    expect(new BoundedRegExp('^bar', '', budget).test(input)).to.equal(false)
    expect(new BoundedRegExp('^x', 'm', new StepBudget(10_000_000)).test(`a\nx`)).to.equal(true)
    expect(budget.spent).to.be.below(100)
  })

  it('gives ajv a fresh budget per validation', () => {
    const engine = boundedRegExpEngine('^[a-z]+$')
    for (let i = 0; i < 100; i++) expect(engine.test('abcdefghij'.repeat(100))).to.equal(true)
    expect(engine.test('ABC')).to.equal(false)
    expect(engine.toString()).to.equal('/^[a-z]+$/')
  })
})
