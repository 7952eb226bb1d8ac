import { expect } from 'chai'
import { DomainError, notFound } from '../../../src/emulator/core/errors.js'

describe('core: DomainError', () => {
  const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length

  it('an expected outcome (4xx) carries its message but no stack frames', () => {
    const error = notFound('data/not-found', 'Record x not found')
    expect(error).to.be.instanceOf(Error)
    expect(error.message).to.equal('Record x not found')
    expect(error.code).to.equal('data/not-found')
    expect(frames(error)).to.equal(0)
  })

  it('an internal error keeps its stack for the log', () => {
    const error = new DomainError('common/internal', 'internal', 'the journal could not be written')
    expect(frames(error)).to.be.greaterThan(0)
  })

  it('leaves the stack trace limit as it found it', () => {
    const before = Error.stackTraceLimit
    notFound('data/not-found', 'gone')
    expect(Error.stackTraceLimit).to.equal(before)
    expect(frames(new Error('plain'))).to.be.greaterThan(0)
  })
})
