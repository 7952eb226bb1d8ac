import { expect } from 'chai'
import { mergeUpdates, updateFromFlags, updateFromPairs } from '../../src/cli/auth-settings.js'
import { usageError } from '../helpers/usage-error.js'

describe('cli: auth settings from key=value pairs and flags', () => {
  const pairs: Array<[string[], object]> = [
    [['minLength=8'], { passwordPolicy: { minLength: 8 } }],
    [['passwordPolicy.maxLength=64', 'requireNumbers=yes', 'require-uppercase=off'], { passwordPolicy: { maxLength: 64, requireNumbers: true, requireUppercase: false } }],
    [['expirationDays=90'], { passwordPolicy: { expirationDays: 90 } }],
    [['expirationDays=none'], { passwordPolicy: { expirationDays: null } }],
    [['magicLinkEnabled=false', 'magicLinkExpirationMinutes=30'], { magicLinkEnabled: false, magicLinkExpirationMinutes: 30 }],
    [['emailVerificationRequired=TRUE'], { emailVerificationRequired: true }],
    [['magic-link=1'], { magicLinkEnabled: true }],
    [[], {}],
  ]
  for (const [input, body] of pairs) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(body)}`, () => {
      expect(updateFromPairs(input)).to.deep.equal(body)
    })
  }

  const refused: Array<[string[], string, string]> = [
    [['minLength'], '"minLength" is not key=value', 'e.g. minLength=8'],
    [['=8'], '"=8" is not key=value', 'keys: minLength'],
    [['colour=red'], 'unknown auth setting "colour"', 'known keys: minLength, maxLength'],
    [['minLength=eight'], 'minLength must be a whole number, not "eight"', 'minLength=8'],
    [['minLength=-1'], 'minLength must be a whole number', 'minLength=8'],
    [['requireNumbers=maybe'], 'requireNumbers must be true or false, not "maybe"', 'requireNumbers=true'],
    [['expirationDays=soon'], 'expirationDays must be a whole number or "none"', 'expirationDays=90'],
    [['--min-lenght'], 'unknown flag --min-lenght', '--help'],
  ]
  for (const [input, message, hint] of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      const error = usageError(() => updateFromPairs(input))
      expect(error.message).to.include(message)
      expect(error.hint).to.include(hint)
    })
  }

  it('reads typed flags, including --no-… booleans and "none" days', () => {
    expect(updateFromFlags({ 'min-length': 10, 'require-special-chars': true, 'magic-link': false, 'expiration-days': 'none', target: 'local' })).to.deep.equal({
      passwordPolicy: { minLength: 10, requireSpecialChars: true, expirationDays: null },
      magicLinkEnabled: false,
    })
    expect(updateFromFlags({})).to.deep.equal({})
  })

  it('merges pairs and flags, and refuses a setting given both ways', () => {
    expect(mergeUpdates({ passwordPolicy: { minLength: 8 } }, { passwordPolicy: { requireNumbers: true }, magicLinkEnabled: false })).to.deep.equal({
      passwordPolicy: { minLength: 8, requireNumbers: true },
      magicLinkEnabled: false,
    })
    expect(usageError(() => mergeUpdates({ magicLinkEnabled: true }, { magicLinkEnabled: false })).message).to.include('magicLinkEnabled given both')
  })
})
