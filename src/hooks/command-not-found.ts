import type { Hook } from '@oclif/core'
import { ask } from '../cli/confirm.js'
import { closestCommand, mayOfferToRun } from '../cli/suggest.js'

/**
 * An unknown command: say so and suggest the closest one. On a terminal, a safe suggestion may be run, but only on
 * an explicit yes (Enter means no); a long-running or destructive one, or any without a terminal, is only printed.
 * Declining or not being asked exits 2, a usage error.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const { config } = options
  const words = (id: string) => id.replaceAll(':', ' ')
  const ids = config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const suggestion = closestCommand(options.id, ids)
  process.stderr.write(`Error: "${words(options.id)}" is not a ${config.bin} command\n`)
  if (!suggestion) {
    process.stderr.write(`Hint: run "${config.bin} help" for the list of commands\n`)
    return this.exit(2)
  }
  const line = `${config.bin} ${words(suggestion)}`
  if (process.stdin.isTTY && process.stderr.isTTY && mayOfferToRun(suggestion)) {
    // `tables lst posts` arrives as the id tables:lst:posts; what follows the suggested command's words are its args
    const argv = options.argv?.length ? options.argv : options.id.split(':').slice(suggestion.split(':').length)
    if (/^y(es)?$/i.test(await ask(`Did you mean "${line}"? Run it? [y/N] `))) return config.runCommand(suggestion, argv)
    return this.exit(2)
  }
  process.stderr.write(`Hint: did you mean "${line}"? (see "${line} --help")\n`)
  return this.exit(2)
}

export default hook
