/** One thing wrong with a config file: where, what, and what to write instead. */
export interface ConfigProblem {
  /** The file, relative to the directory the command runs in (`bkend/tables/posts.json`). */
  file: string
  /** Where in the file, as a JSON path (`fields.title.maxLength`, `indexes[1].name`); `(top level)` for the file itself. */
  path: string
  message: string
  /** What to write instead. */
  fix: string
}

/** Reports a problem at a path of the file being read. */
export type ProblemSink = (path: string, message: string, fix: string) => void

/** The one line a person reads for a problem: `<file>: <path>: <what is wrong>; <what to write instead>`. */
export const describeProblem = (p: ConfigProblem): string => `${p.file}: ${p.path}: ${p.message}; ${p.fix}`

/**
 * The config files are wrong: every problem found, not just the first. `exitCode` lets a command that reserves 1
 * for another meaning (`bkend diff`: 1 = differences) report config errors as 2.
 */
export class ConfigError extends Error {
  readonly code = 'config/invalid'

  constructor(
    readonly problems: ConfigProblem[],
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(problems.length === 1 ? describeProblem(problems[0]!) : `${problems.length} problems in the config files:\n${problems.map((p) => `  ${describeProblem(p)}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}
