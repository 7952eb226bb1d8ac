import { spawn, type ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import { CliError } from './errors.js'

/** The signals `bkend dev exec` passes on to its command (SIGINT only when stdin is not a terminal). */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** The exit status a shell reports for a process killed by `signal`: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Holds the forwarded signals for the whole life of `bkend dev exec`: before the command runs a signal is kept (the
 * caller then stops instead of starting it), while it runs the signal goes to it, and afterwards it is swallowed so
 * clean-up (stopping the emulator, removing the temporary data dir) always finishes.
 */
export class SignalRelay {
  private child: ChildProcess | undefined
  /** The first signal that arrived before a command was running. */
  pending: NodeJS.Signals | undefined
  private readonly handlers = FORWARDED_SIGNALS.map((signal) => [signal, () => this.receive(signal)] as const)

  constructor() {
    for (const [signal, handler] of this.handlers) process.on(signal, handler)
  }

  /** Starts `argv` (through `/bin/sh -c` when `shell`) with the terminal's stdio; resolves with its exit status. */
  run(argv: string[], env: NodeJS.ProcessEnv, shell: boolean): Promise<number> {
    const [file, ...args] = shell ? [argv.join(' ')] : argv
    return new Promise((resolve, reject) => {
      const child = spawn(file!, args, { stdio: 'inherit', env, shell })
      this.child = child
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.child = undefined
        reject(spawnError(file!, error))
      })
      child.once('exit', (code, signal) => {
        this.child = undefined
        resolve(signal ? signalExitCode(signal) : (code ?? 1))
      })
    })
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler)
  }

  private receive(signal: NodeJS.Signals): void {
    if (!this.child) this.pending ??= signal
    // note: Ctrl+C at a terminal signals the whole foreground process group, the command included; passing it on
    // as well would deliver a second SIGINT, which many tools read as "force quit now"
    else if (!(signal === 'SIGINT' && process.stdin.isTTY)) this.child.kill(signal)
  }
}

/** A command that could not be started, with the exit status a shell gives it: 127 not found, 126 not runnable. */
function spawnError(file: string, error: NodeJS.ErrnoException): CliError {
  if (error.code === 'ENOENT') return new CliError(`command not found: ${file}`, 'check its spelling and that it is installed and on PATH (put the command after --: bkend dev exec -- npm test)', 127, 'exec/command-not-found')
  if (error.code === 'EACCES' || error.code === 'EISDIR') return new CliError(`cannot run ${file}: it is not an executable file`, `make it executable (chmod +x ${file}) or name its interpreter first (bkend dev exec -- sh ${file})`, 126, 'exec/not-executable')
  return new CliError(`cannot run ${file}: ${error.message}`, undefined, 126, 'exec/not-executable')
}
