import { Box, Text, render } from 'ink'
import { formatBytes } from './format.js'

export interface TransferProgressProps {
  /** What is happening ("Importing posts"). */
  label: string
  /** Rows (or bytes, with `unit: 'bytes'`) done so far. */
  rows: number
  /** What `rows` counts; bytes are shown as KiB/MiB/GiB. Default rows. */
  unit?: 'rows' | 'bytes'
  /** Rows that failed, when the transfer can reject rows. */
  rejected?: number
  /** Share done between 0 and 1, when known (bytes of a file read, rows of a known total); else a spinner turns. */
  fraction?: number
  elapsedMs: number
  finished?: boolean
  /** Ended short of the end (interrupted): drawn as stopped rather than done. */
  stopped?: boolean
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const BAR_WIDTH = 24
const count = (n: number) => n.toLocaleString('en-US')

/** One status line for a long transfer: spinner or bar, rows or bytes, rejections and rate. */
export function TransferProgress({ label, rows, unit = 'rows', rejected, fraction, elapsedMs, finished, stopped }: TransferProgressProps) {
  const rate = elapsedMs > 0 ? Math.round((rows * 1000) / elapsedMs) : 0
  const amount = (n: number) => (unit === 'bytes' ? formatBytes(n) : `${count(n)} rows`)
  const share = fraction === undefined ? undefined : Math.min(1, Math.max(0, fraction))
  const filled = share === undefined ? 0 : Math.round(share * BAR_WIDTH)
  return (
    <Box gap={1}>
      <Text color={stopped ? 'yellow' : finished ? 'green' : 'cyan'}>{stopped ? '■' : finished ? '✔' : FRAMES[Math.floor(elapsedMs / 80) % FRAMES.length]}</Text>
      <Text>{label}</Text>
      {share !== undefined && (
        <Text>
          <Text color="cyan">{'█'.repeat(filled)}</Text>
          <Text dimColor>{'░'.repeat(BAR_WIDTH - filled)}</Text> {Math.floor(share * 100)}%
        </Text>
      )}
      <Text>{amount(rows)}</Text>
      {rejected ? <Text color="yellow">{count(rejected)} rejected</Text> : null}
      <Text dimColor>{amount(rate)}/s</Text>
    </Box>
  )
}

export interface ProgressHandle {
  update(props: TransferProgressProps): void
  /** Draws the final state and releases the terminal. */
  done(props: TransferProgressProps): void
}

/** Shows a live progress line on standard error (standard output may be carrying the data). */
export function renderProgress(props: TransferProgressProps): ProgressHandle {
  const instance = render(<TransferProgress {...props} />, { stdout: process.stderr, patchConsole: false, exitOnCtrlC: false })
  return {
    update: (next) => instance.rerender(<TransferProgress {...next} />),
    done: (last) => {
      instance.rerender(<TransferProgress {...last} finished />)
      instance.unmount()
    },
  }
}
