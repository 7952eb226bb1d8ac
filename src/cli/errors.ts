/** A failure the CLI explains to a person: what happened, what to do next, and the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** 1 for failures, 2 for usage errors. */
    readonly exitCode: 1 | 2 = 1,
    /** A stable code scripts can match (`emulator/port-in-use`, or the server's `auth/unauthorized`). */
    readonly code: string = 'cli/error',
  ) {
    super(message)
    this.name = 'CliError'
  }
}
