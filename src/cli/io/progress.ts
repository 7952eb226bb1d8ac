import type { TransferProgressProps } from '../../ui/progress.js'

export type ProgressUpdate = Omit<TransferProgressProps, 'label' | 'finished' | 'stopped'>

export interface ProgressReporter {
  update(progress: ProgressUpdate): void
  /** Draws the last state as finished, or as stopped short (Ctrl+C); later calls and updates change nothing. */
  done(outcome?: { stopped: boolean }): void
}

/**
 * A live progress line when standard error is a terminal and the output is for a person; otherwise nothing at all
 * (pipes, CI logs and --json stay clean, and React is never loaded).
 */
export async function progressReporter(label: string, enabled: boolean): Promise<ProgressReporter | undefined> {
  if (!enabled || !process.stderr.isTTY) return undefined
  const { renderProgress } = await import('../../ui/progress.js')
  let last: ProgressUpdate = { rows: 0, elapsedMs: 0 }
  let ended = false
  const handle = renderProgress({ label, ...last })
  return {
    update: (progress) => {
      if (ended) return
      last = progress
      handle.update({ label, ...progress })
    },
    done: (outcome) => {
      if (ended) return
      ended = true
      handle.done({ label, ...last, stopped: outcome?.stopped })
    },
  }
}
