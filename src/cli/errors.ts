import type { ClientError } from '../client/errors.js'

export type ExitCode = 1 | 2 | 126 | 127

/**
 * A failure of the CLI itself (usage, confirmation, local files, configuration): what happened, what to do next,
 * and the exit code. Failures of a target are ClientErrors; `BaseCommand.catch` shows both the same way.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** 1 for failures, 2 for usage errors; 126 and 127 for a `dev exec` command that cannot run, as a shell says. */
    readonly exitCode: ExitCode = 1,
    /** A stable code scripts can match (`cli/usage`, `emulator/port-in-use`); without a hint, the hint table's. */
    readonly code: string = 'cli/error',
  ) {
    super(message)
    this.name = 'CliError'
  }
}

/** The message a person reads for a client failure: the server's message plus any field problems it leaves out. */
export function describeClientError(error: ClientError): string {
  // the server's message often names the fields already; only details it leaves out are appended
  const details = (error.details.fields ?? [])
    .filter((d) => !(d.field && error.message.includes(d.field)))
    .map((d) => (d.field ? `${d.field}: ${d.message ?? d.rule}` : (d.message ?? '')))
    .filter(Boolean)
  return details.length ? `${error.message} (${details.join('; ')})` : error.message
}
