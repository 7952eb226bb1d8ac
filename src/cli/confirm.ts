import { Flags } from '@oclif/core'
import { createInterface } from 'node:readline/promises'
import { CliError } from './errors.js'

/** `--yes`: what a destructive command takes to run without asking (and what it needs without a terminal). */
export const yesFlag = Flags.boolean({ char: 'y', description: 'do not ask for confirmation' })

/** Asks one question on the terminal (the prompt on stderr, so stdout stays the command's output). */
export async function ask(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return (await prompt.question(question)).trim()
  } finally {
    prompt.close()
  }
}

const cancelled = () => new CliError('cancelled, nothing was changed', undefined, 1, 'cli/cancelled')

/** Without a terminal on stdin nothing is prompted and nothing assumed: the action is refused unless --yes. */
function refuseWithoutTerminal(what: string): void {
  if (!process.stdin.isTTY) throw new CliError(`${what}: needs confirmation`, 'pass --yes to confirm when no terminal is attached', 2, 'cli/confirmation-required')
}

/** Asks before a destructive action. `--yes` skips the question; without a terminal it is refused. */
export async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return
  refuseWithoutTerminal(question.replace(/\?$/, ''))
  if (!/^y(es)?$/i.test(await ask(`${question} [y/N] `))) throw cancelled()
}

/**
 * Asks before an action that cannot be undone and takes a whole environment or project with it: the person types
 * its name (one keystroke is too easy to give by habit). `--yes` skips it; without a terminal it is refused.
 */
export async function confirmByName(what: string, name: string, yes: boolean): Promise<void> {
  if (yes) return
  refuseWithoutTerminal(what)
  process.stderr.write(`${what}.\nThis cannot be undone.\n`)
  if ((await ask(`Type ${name} to confirm: `)) !== name) throw cancelled()
}
