import { expect } from 'chai'
import { CliError } from '../../src/cli/errors.js'

/** The CLI usage error (exit 2, cli/usage) that `fn` throws; fails the test when it throws nothing or something else. */
export function usageError(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    expect(error).to.include({ exitCode: 2, code: 'cli/usage' })
    return error as CliError
  }
  throw new Error('expected a usage error')
}
