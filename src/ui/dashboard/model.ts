import type { MailboxMessage } from '../../contract/mailbox.js'
import type { RequestEvent } from '../../contract/request-log.js'
import { matches, type RequestFilter } from './filter.js'

/** The part of the emulator's request log the dashboard reads (the ring: numbered events, listeners told of each). */
export interface RequestSource {
  readonly head: number
  since(from: number, limit?: number): { events: RequestEvent[]; next: number; missed: number }
  subscribe(listener: (event: RequestEvent, seq: number) => void): () => void
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx'
export const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx']

/** A request on screen, with its number in the log (a stable key while rows move up). */
export interface RequestRow {
  seq: number
  event: RequestEvent
}

/** What the dashboard draws: only the rows that fit, never the whole log. */
export interface DashboardView {
  rows: RequestRow[]
  counts: Record<StatusClass, number>
  total: number
  filter: RequestFilter
  paused: boolean
  /** Requests that match the filter and arrived while paused. */
  newWhilePaused: number
  mails: MailboxMessage[]
}

export interface DashboardModelOptions {
  log: RequestSource
  /** The newest captured e-mails, newest first. */
  latestMails: (limit: number) => MailboxMessage[]
  /** How many request rows fit on the screen. */
  rows: number
  /** How many e-mails the view lists. */
  mailRows?: number
  /** Shortest time between two redraws (default 100 ms: at most ten a second). */
  throttleMs?: number
  /** Shortest time between two redraws while the stream scrolls a screen per redraw (default 250 ms). */
  busyMs?: number
  /** How often the mailbox is looked at (default 1 s). */
  mailPollMs?: number
}

const BUSY_MS = 250
const classOf = (status: number): StatusClass | undefined => STATUS_CLASSES[Math.floor(status / 100) - 2]
const zero = (): Record<StatusClass, number> => ({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 })

/**
 * The dashboard's state outside React, so the request path pays one counter increment per request: the listener
 * only counts and marks the view dirty; a timer, at most every `throttleMs`, reads what arrived from the ring and
 * tells the view, which keeps only the rows that fit.
 */
export class DashboardModel {
  private cursor: number
  /** First event number the view may show (after a clear). */
  private floor: number
  private rows: RequestRow[] = []
  private counts = zero()
  private total = 0
  private filter: RequestFilter = {}
  private paused = false
  private newWhilePaused = 0
  private mails: MailboxMessage[] = []
  private dirty = true
  /** No redraw before this time (a busy stream). */
  private busyUntil = 0
  /** How many rows fit. */
  private fit: number
  private mailRows: number
  private readonly listeners = new Set<(view: DashboardView) => void>()
  private readonly timers: NodeJS.Timeout[] = []
  private readonly unsubscribe: () => void

  constructor(private readonly options: DashboardModelOptions) {
    this.cursor = this.floor = options.log.head
    this.fit = options.rows
    this.mailRows = options.mailRows ?? 3
    this.unsubscribe = options.log.subscribe((event) => {
      const cls = classOf(event.status)
      if (cls) this.counts[cls]++
      this.total++
      if (this.paused && matches(this.filter, event)) this.newWhilePaused++
      this.dirty = true
    })
    this.pollMail()
    this.timers.push(setInterval(() => this.flush(), options.throttleMs ?? 100), setInterval(() => this.pollMail(), options.mailPollMs ?? 1000))
    for (const timer of this.timers) timer.unref()
  }

  /** Called with the new view after each change, at most once per throttle period. */
  onChange(listener: (view: DashboardView) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  view(): DashboardView {
    return { rows: this.rows, counts: { ...this.counts }, total: this.total, filter: this.filter, paused: this.paused, newWhilePaused: this.newWhilePaused, mails: this.mails }
  }

  /** Shows only matching requests, refilled from what the ring still holds. */
  setFilter(filter: RequestFilter): void {
    this.filter = filter
    this.rows = []
    this.cursor = this.floor
    this.changed()
  }

  togglePause(): void {
    this.paused = !this.paused
    this.newWhilePaused = 0
    this.changed()
  }

  /** Empties the view and its counts; the log itself (what `dev logs` and `dev explain` read) is kept. */
  clear(): void {
    this.rows = []
    this.counts = zero()
    this.total = 0
    this.newWhilePaused = 0
    this.cursor = this.floor = this.options.log.head
    this.changed()
  }

  /** The screen was resized. */
  setRows(rows: number): void {
    this.fit = rows
    this.rows = []
    this.cursor = this.floor
    this.changed()
  }

  /** Lists this many of the newest e-mails. */
  setMailRows(limit: number): void {
    this.mailRows = limit
    this.pollMail()
    this.flush()
  }

  /** Reads what arrived since the last redraw, if anything did, and tells the view. */
  flush(now = performance.now()): void {
    if (!this.dirty || now < this.busyUntil) return
    this.dirty = false
    if (!this.paused) {
      const { events, next } = this.options.log.since(this.cursor)
      this.cursor = next
      const first = next - events.length
      const fresh: RequestRow[] = []
      // newest first, stopping once the screen is full: a burst costs what fits, not what arrived
      for (let i = events.length - 1; i >= 0 && fresh.length < this.fit; i--) if (matches(this.filter, events[i]!)) fresh.push({ seq: first + i, event: events[i]! })
      if (fresh.length > 0) this.rows = [...this.rows, ...fresh.reverse()].slice(-this.fit)
      // note: a stream that scrolled a whole screen since the last redraw cannot be read at ten frames a second
      // anyway; drawing it four times a second instead leaves the server most of what drawing costs
      if (fresh.length >= this.fit) this.busyUntil = now + (this.options.busyMs ?? BUSY_MS)
    }
    const view = this.view()
    for (const listener of this.listeners) listener(view)
  }

  dispose(): void {
    this.unsubscribe()
    for (const timer of this.timers) clearInterval(timer)
    this.listeners.clear()
  }

  /** A person pressed a key: redraw now, busy or not. */
  private changed(): void {
    this.dirty = true
    this.busyUntil = 0
    this.flush()
  }

  private pollMail(): void {
    const mails = this.options.latestMails(this.mailRows)
    if (mails.length === this.mails.length && mails.every((m, i) => m.id === this.mails[i]?.id)) return
    this.mails = mails
    this.dirty = true
  }
}
