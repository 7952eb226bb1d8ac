import { expect } from 'chai'
import { optionalCallbackUrl, requiredCallbackUrl, withQuery } from '../../../src/emulator/core/auth/email-links.js'
import type { DomainError } from '../../../src/emulator/core/errors.js'

describe('core: e-mail links', () => {
  const cases: Array<[string, string, Record<string, string>, string]> = [
    ['a bare URL gets ?', 'http://app.test/cb', { token: 't' }, 'http://app.test/cb?token=t'],
    ['a URL with a query gets &', 'http://app.test/cb?a=1', { token: 't' }, 'http://app.test/cb?a=1&token=t'],
    ['a trailing ? is reused', 'http://app.test/cb?', { token: 't' }, 'http://app.test/cb?token=t'],
    ['a trailing & is reused', 'http://app.test/cb?a=1&', { token: 't' }, 'http://app.test/cb?a=1&token=t'],
    ['the fragment stays last', 'http://app.test/cb?a=1#/done', { token: 't' }, 'http://app.test/cb?a=1&token=t#/done'],
    ['values are encoded', 'https://app.test/', { email: 'a+b@example.com' }, 'https://app.test/?email=a%2Bb%40example.com'],
  ]
  for (const [what, url, params, expected] of cases) {
    it(`withQuery: ${what}`, () => expect(withQuery(url, params)).to.equal(expected))
  }

  it('accepts absolute http(s) callback URLs and nothing else', () => {
    expect(optionalCallbackUrl(undefined)).to.equal(null)
    expect(optionalCallbackUrl('')).to.equal(null)
    expect(optionalCallbackUrl('HTTPS://app.test/x')).to.equal('HTTPS://app.test/x')
    for (const bad of ['/relative', 'app.test/cb', 'javascript:alert(1)', 'ftp://app.test', 42, 'http://']) {
      let code: string | undefined
      try {
        optionalCallbackUrl(bad)
      } catch (error) {
        code = (error as DomainError).code
      }
      expect(code, String(bad)).to.equal('auth/invalid-request')
    }
    expect(() => requiredCallbackUrl(undefined)).to.throw('callbackUrl is required')
  })
})
