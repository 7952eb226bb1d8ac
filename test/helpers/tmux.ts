import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const exec = promisify(execFile)

/** Single-quotes a value for the shell tmux runs. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** Whether tmux is installed (the terminal tests need it). */
export function tmuxAvailable(): Promise<boolean> {
  return exec('tmux', ['-V']).then(() => true, () => false)
}

/** A real terminal for a test: a detached tmux session (120×40 unless told) whose screen is read back as text. */
export function tmuxTerminal(session: string, size: { columns: number; rows: number } = { columns: 120, rows: 40 }) {
  const close = () => exec('tmux', ['kill-session', '-t', session]).then(() => undefined, () => undefined)
  return {
    /** Runs a shell command line in a fresh session (any earlier one of this name is killed first). */
    async start(shell: string): Promise<void> {
      await close()
      // killing the last session stops the tmux server; a new-session racing that exit fails once, then works
      for (let attempt = 1; ; attempt++) {
        try {
          // A person at a terminal, even when the suite itself runs under CI=true: ink draws only the final frame
          // when it believes it runs in CI, and these tests read the frames in between.
          await exec('tmux', ['new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), `export CI=false CONTINUOUS_INTEGRATION=false; ${shell}`])
          return
        } catch (error) {
          if (attempt === 3 || !String((error as Error).message).includes('server exited unexpectedly')) throw error
        }
      }
    },
    /** Polls the screen until `done` accepts it (20 s at most); `joinWrapped` joins lines the terminal wrapped. */
    async waitForScreen(done: (screen: string) => boolean, options: { joinWrapped?: boolean } = {}): Promise<string> {
      const deadline = Date.now() + 20_000
      let screen = ''
      while (Date.now() < deadline) {
        screen = (await exec('tmux', ['capture-pane', '-p', ...(options.joinWrapped ? ['-J'] : []), '-t', session])).stdout
        if (done(screen)) return screen
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      throw new Error(`timed out; screen:\n${screen}`)
    },
    /** Types keys (`'n', 'Enter'`, `'C-c'`). */
    async keys(...keys: string[]): Promise<void> {
      await exec('tmux', ['send-keys', '-t', session, ...keys])
    },
    close,
  }
}
