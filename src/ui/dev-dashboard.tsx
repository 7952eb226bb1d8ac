import { Box, Static, Text, render, useInput, useStdin } from 'ink'
import { useEffect, useRef, useState } from 'react'
import { describeFilter, parseFilter } from './dashboard/filter.js'
import { headerLines, mailLine, requestParts, type DevReadyInfo } from './dashboard/lines.js'
import { DashboardModel, STATUS_CLASSES, type DashboardView, type RequestSource } from './dashboard/model.js'
import type { MailboxMessage } from '../contract/mailbox.js'
import type { RequestEvent } from '../contract/request-log.js'

/** What the dashboard's keys do outside it. */
export interface DashboardActions {
  /** Opens a URL in the browser; false when no browser could be started. */
  openUrl(url: string): Promise<boolean>
  /** A one-time sign-in URL of the local console that lands on its mailbox page. */
  mailboxUrl(): Promise<string>
  /** Empties one environment's data; says what went, in a sentence. */
  reset(environment: string): Promise<string>
  /** Stops the emulator, as Ctrl+C does. */
  quit(): void
}

export interface DevDashboardProps {
  info: DevReadyInfo
  model: DashboardModel
  actions: DashboardActions
  /** Terminal width: the header is written this wide or wider, so the terminal (not ink) wraps a long value. */
  columns: number
  /** The emulator's own messages (warnings, errors), written above the live part as they come. */
  notes?: string[]
}

/** The hotkeys, as `?` and docs/emulator.md list them. */
export const HOTKEYS: ReadonlyArray<readonly [key: string, what: string]> = [
  ['/', 'filter: 4xx, 404, env:<name>, a path substring (Enter applies, empty clears, Esc cancels)'],
  ['p', 'pause the stream (requests keep counting), p again resumes'],
  ['c', 'clear the stream and the counts (the log itself is kept)'],
  ['m', 'show more of the mailbox, m again shows less'],
  ['l', 'open the link of the latest e-mail in the browser'],
  ['o', "open the console's mailbox in the browser, signed in"],
  ['r', 'reset an environment (asks which, then y/N)'],
  ['?', 'this help'],
  ['q', 'quit: stop the emulator (as Ctrl+C)'],
]

const STATUS_COLOR: Record<string, string> = { '2': 'green', '3': 'cyan', '4': 'yellow', '5': 'red' }
const MAIL_ROWS = 3
const MAILBOX_ROWS = 10

type Mode = { kind: 'keys' } | { kind: 'help' } | { kind: 'filter'; text: string } | { kind: 'reset-env'; text: string } | { kind: 'reset-confirm'; env: string }

function RequestLine({ event }: { event: RequestEvent }) {
  const parts = requestParts(event)
  return (
    <Text wrap="truncate-end">
      {parts.head} <Text color={STATUS_COLOR[parts.status[0]!]}>{parts.status}</Text> {parts.tail}
      {parts.fault ? <Text color="magenta"> {parts.fault}</Text> : null}
      {parts.denial ? <Text color="yellow"> {parts.denial}</Text> : null}
    </Text>
  )
}

function Counts({ view }: { view: DashboardView }) {
  const filter = describeFilter(view.filter)
  return (
    <Text wrap="truncate-end">
      <Text bold>requests {view.total.toLocaleString('en-US')}</Text>
      {STATUS_CLASSES.map((cls) => (
        <Text key={cls} color={STATUS_COLOR[cls[0]!]}>
          {'  '}
          {cls} {view.counts[cls].toLocaleString('en-US')}
        </Text>
      ))}
      {filter ? <Text color="cyan">{`   filter ${filter}`}</Text> : null}
      {view.paused ? <Text color="magenta" bold>{`   paused, ${view.newWhilePaused.toLocaleString('en-US')} new`}</Text> : null}
    </Text>
  )
}

function Mails({ mails }: { mails: MailboxMessage[] }) {
  return (
    <Box flexDirection="column">
      <Text bold>mail</Text>
      {mails.length === 0 ? <Text dimColor>(no e-mail captured yet)</Text> : mails.map((mail) => <Text key={mail.id} wrap="truncate-end">{mailLine(mail)}</Text>)}
    </Box>
  )
}

function Prompt({ mode, message }: { mode: Mode; message: string }) {
  if (mode.kind === 'filter') return <Text>Filter (4xx, 404, env:&lt;name&gt;, a path; empty clears): {mode.text}<Text inverse> </Text></Text>
  if (mode.kind === 'reset-env') return <Text>Reset which environment? (Enter: dev) {mode.text}<Text inverse> </Text></Text>
  if (mode.kind === 'reset-confirm') return <Text color="yellow">Reset environment {mode.env}: delete its records, users and files? [y/N]</Text>
  return (
    <Box flexDirection="column">
      {message ? <Text>{message}</Text> : null}
      <Text dimColor wrap="truncate-end">/ filter  p pause  c clear  m mailbox  l latest mail  o console mailbox  r reset  ? help  q quit</Text>
    </Box>
  )
}

/** The live `bkend dev` screen: the URLs and keys once, then requests, counts, e-mails and hotkeys. */
export function DevDashboard({ info, model, actions, columns, notes = [] }: DevDashboardProps) {
  const [view, setView] = useState(() => model.view())
  // note: the mode lives in a ref so keys typed faster than React redraws each see the one before them
  const modeRef = useRef<Mode>({ kind: 'keys' })
  const [, redraw] = useState(0)
  const setMode = (next: Mode) => {
    modeRef.current = next
    redraw((n) => n + 1)
  }
  const [message, setMessage] = useState('')
  const [mailbox, setMailbox] = useState(false)
  useEffect(() => model.onChange(setView), [model])
  const header = headerLines(info)
  const width = Math.max(columns, ...header.map((line) => line.length))

  const openLatest = () => {
    // note: from the model, not this render's `view`: the key handler can be a render behind the screen, and a
    // mail that just arrived (and is shown) must be the one opened
    const latest = model.view().mails[0]
    if (!latest) return setMessage('No e-mail captured yet.')
    if (!latest.link) return setMessage(`The latest e-mail (${latest.type} to ${latest.to}) has no link; its token: ${latest.token}`)
    setMessage(`Opening ${latest.link}`)
    void actions.openUrl(latest.link).then((opened) => opened || setMessage(`Could not start a browser; open ${latest.link} yourself.`))
  }
  const openMailbox = () => {
    setMessage("Opening the console's mailbox…")
    void actions.mailboxUrl().then(
      (url) => actions.openUrl(url).then((opened) => setMessage(opened ? '' : `Could not start a browser; open ${url} yourself (it signs in once).`)),
      (error: Error) => setMessage(`Could not open the console: ${error.message}`),
    )
  }
  const edit = (text: string, input: string, key: { backspace: boolean; delete: boolean }) => (key.backspace || key.delete ? text.slice(0, -1) : text + input)

  // note: without a terminal on standard input (`bkend dev < /dev/null`) there are no keys to read; Ctrl+C still stops
  const { isRawModeSupported } = useStdin()
  useInput((input, key) => {
    const mode = modeRef.current
    if (key.ctrl && input === 'c') return actions.quit()
    if (mode.kind === 'help') return setMode({ kind: 'keys' })
    if (mode.kind === 'filter') {
      if (key.escape) return setMode({ kind: 'keys' })
      if (key.return) {
        const parsed = parseFilter(mode.text)
        setMode({ kind: 'keys' })
        if (!parsed.ok) return setMessage(`Filter not changed: ${parsed.error}.`)
        model.setFilter(parsed.filter)
        return setMessage(describeFilter(parsed.filter) ? '' : 'Filter cleared.')
      }
      return setMode({ kind: 'filter', text: edit(mode.text, input, key) })
    }
    if (mode.kind === 'reset-env') {
      if (key.escape) return setMode({ kind: 'keys' })
      if (key.return) return setMode({ kind: 'reset-confirm', env: mode.text.trim() || 'dev' })
      return setMode({ kind: 'reset-env', text: edit(mode.text, input, key) })
    }
    if (mode.kind === 'reset-confirm') {
      setMode({ kind: 'keys' })
      if (input.toLowerCase() !== 'y') return setMessage('Reset cancelled, nothing was changed.')
      setMessage(`Resetting ${mode.env}…`)
      return void actions.reset(mode.env).then(setMessage, (error: Error) => setMessage(`Reset failed: ${error.message}`))
    }
    setMessage('')
    if (input === 'q') actions.quit()
    else if (input === '/') setMode({ kind: 'filter', text: describeFilter(view.filter) })
    else if (input === 'p') model.togglePause()
    else if (input === 'c') model.clear()
    else if (input === 'm') {
      model.setMailRows(mailbox ? MAIL_ROWS : MAILBOX_ROWS)
      setMailbox(!mailbox)
    } else if (input === 'l') openLatest()
    else if (input === 'o') openMailbox()
    else if (input === 'r') setMode({ kind: 'reset-env', text: '' })
    else if (input === '?') setMode({ kind: 'help' })
  }, { isActive: isRawModeSupported === true })

  return (
    <>
      <Static items={[header, ...notes.map((note) => [note])]}>
        {(lines, n) => (
          // note: as wide as the longest line, so a narrow terminal wraps a key as plain text instead of ink
          // breaking it; written once, so the redraws below never have to erase it
          <Box key={n} flexDirection="column" width={n === 0 ? width : undefined} marginBottom={n === 0 ? 1 : 0}>
            {lines.map((line, i) => (
              <Text key={i} bold={n === 0 && i === 0} color={n === 0 && i === 0 ? 'green' : undefined}>
                {line}
              </Text>
            ))}
          </Box>
        )}
      </Static>
      <Box flexDirection="column">
        <Counts view={view} />
        {modeRef.current.kind === 'help' ? (
          <Box flexDirection="column">
            {HOTKEYS.map(([k, what]) => (
              <Text key={k} wrap="truncate-end">
                <Text bold>{k.padEnd(3)}</Text>
                {what}
              </Text>
            ))}
            <Text dimColor>(any key closes this help)</Text>
          </Box>
        ) : view.rows.length === 0 ? (
          <Text dimColor>{view.total === 0 ? `(no requests yet: the REST API is ${info.url}/v1)` : '(no request matches the filter)'}</Text>
        ) : (
          view.rows.map((row) => <RequestLine key={row.seq} event={row.event} />)
        )}
        <Mails mails={view.mails} />
        {isRawModeSupported ? <Prompt mode={modeRef.current} message={message} /> : <Text dimColor>Standard input is not a terminal, so the keys are off; Ctrl+C stops.</Text>}
      </Box>
    </>
  )
}

/** Lines the dashboard draws besides the request rows (counts, e-mails, prompt, keys) and the header. */
export function fixedLines(info: DevReadyInfo, columns: number, mailRows = MAIL_ROWS): number {
  const header = headerLines(info).reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / Math.max(columns, 1))), 0) + 1
  return header + 1 + 1 + mailRows + 2
}

export interface DashboardHandle {
  /** Writes a line above the live part, where it stays. */
  note(line: string): void
  /** Releases the terminal (and stops reading the log). */
  close(): void
}

export interface DashboardOptions {
  info: DevReadyInfo
  log: RequestSource
  latestMails: (limit: number) => MailboxMessage[]
  actions: DashboardActions
  /** Where to draw and read keys (default: the process's own terminal; the benchmark draws on a null terminal). */
  stdout?: NodeJS.WriteStream
  stdin?: NodeJS.ReadStream
}

/** Draws the live dashboard on the terminal until `close()`. */
export function renderDevDashboard({ info, log, latestMails, actions, stdout = process.stdout, stdin = process.stdin }: DashboardOptions): DashboardHandle {
  const rowsFor = () => Math.max(3, (stdout.rows || 24) - fixedLines(info, stdout.columns || 80, MAILBOX_ROWS) - 1)
  const model = new DashboardModel({ log, latestMails, rows: rowsFor(), mailRows: MAIL_ROWS })
  const notes: string[] = []
  const draw = () => <DevDashboard info={info} model={model} actions={actions} columns={stdout.columns || 80} notes={notes} />
  const instance = render(draw(), { stdout, stdin, patchConsole: false, exitOnCtrlC: false, maxFps: 10 })
  const onResize = () => {
    model.setRows(rowsFor())
    instance.rerender(draw())
  }
  stdout.on('resize', onResize)
  return {
    note: (line) => {
      notes.push(line)
      instance.rerender(draw())
    },
    close: () => {
      stdout.off('resize', onResize)
      model.dispose()
      instance.unmount()
    },
  }
}
