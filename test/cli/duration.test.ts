import { expect } from 'chai'
import { formatDuration, parseDuration } from '../../src/cli/duration.js'
import { CliError } from '../../src/cli/errors.js'

describe('cli: durations for the emulator clock', () => {
  const valid: Array<[string, number]> = [
    ['+1h', 3600],
    ['-30m', -1800],
    ['+2d', 172_800],
    ['+90s', 90],
    ['90s', 90],
    ['1h30m', 5400],
    ['-1d2h3m4s', -(86_400 + 7200 + 180 + 4)],
    ['+1w', 604_800],
    [' 2H ', 7200],
    ['+0s', 0],
  ]
  for (const [text, seconds] of valid) {
    it(`"${text}" → ${seconds} s`, () => {
      expect(parseDuration(text)).to.equal(seconds)
    })
  }

  const invalid = ['', '5', '+', '1x', 'h', '1.5h', '+-1h', '1h 30m', '1 h', 'soon', '--1h', `${'9'.repeat(20)}d`]
  for (const text of invalid) {
    it(`refuses "${text}" as a usage error with a hint`, () => {
      let error: unknown
      try {
        parseDuration(text)
      } catch (e) {
        error = e
      }
      expect(error).to.be.instanceOf(CliError)
      expect(error).to.include({ exitCode: 2, code: 'cli/invalid-duration' })
      expect((error as CliError).hint).to.include('+1h, -30m')
    })
  }

  const formatted: Array<[number, string]> = [
    [0, '0s'],
    [90, '+1m30s'],
    [-1800, '-30m'],
    [7200, '+2h'],
    [93_784, '+1d2h3m4s'],
    [1.5, '+1.5s'],
  ]
  for (const [seconds, text] of formatted) {
    it(`formats ${seconds} s as "${text}"`, () => {
      expect(formatDuration(seconds)).to.equal(text)
    })
  }

  it('reads back what it formats, for whole seconds', () => {
    for (const seconds of [1, 59, 61, 3599, 86_401, -172_800, 1_000_000]) expect(parseDuration(formatDuration(seconds))).to.equal(seconds)
  })
})
