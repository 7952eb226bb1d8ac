import { createInterface } from 'node:readline/promises'
import { CliError } from './errors.js'

/**
 * Asks before a destructive action. `--yes` skips the question; without a terminal on stdin the action is refused
 * (never prompted, never assumed), so a script cannot delete by accident.
 */
export async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return
  if (!process.stdin.isTTY) {
    throw new CliError(`${question.replace(/\?$/, '')}: needs confirmation`, 'pass --yes to confirm when no terminal is attached', 2, 'cli/confirmation-required')
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await prompt.question(`${question} [y/N] `)
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('cancelled, nothing was changed', undefined, 1, 'cli/cancelled')
  } finally {
    prompt.close()
  }
}
