import type { RequestEvent } from '../../../contract/request-log.js'
import type { RequestLog } from './request-log.js'

/** Where a pump writes: a Node writable (stdout, a file, a socket). `write` returning false means wait for `drain`. */
export interface LineSink {
  write(chunk: string): boolean
  once(event: 'drain', listener: () => void): unknown
}

export interface PumpOptions {
  /** The event number to start from (default: the ring's head, so only new events). */
  from?: number
  /** Turns an event into the text to write (a line with its newline), or undefined to skip it (a filter). */
  format: (event: RequestEvent) => string | undefined
  /** The text to write when the ring moved past events this reader had not read yet. */
  missed: (count: number) => string
  /**
   * Wait this long after an append before writing, so a busy server writes one chunk per interval instead of one
   * per turn of the event loop (each a system call on the server's thread). Default: at the next turn.
   */
  intervalMs?: number
}

/** Events read per batch: one write each, so a fast producer does not turn into one write per event. */
const BATCH = 256

/**
 * A reader of the request ring that writes to a sink at the sink's pace: it keeps its own cursor, and while the
 * sink is full (a slow disk, a reader that stopped reading) it waits for `drain` and lets the ring be the only
 * buffer. What the ring overwrote in the meantime is reported with `missed`, never queued: the request path only
 * ever appends, whatever the readers do.
 */
export class LogPump {
  private cursor: number
  private scheduled = false
  private timer: NodeJS.Timeout | undefined
  private waiting = false
  private stopped = false
  private readonly unsubscribe: () => void

  constructor(private readonly log: RequestLog, private readonly sink: LineSink, private readonly options: PumpOptions) {
    this.cursor = options.from ?? log.head
    this.unsubscribe = log.subscribe(() => this.schedule())
    if (this.cursor < log.head) this.schedule()
  }

  /** Events this reader has read up to. */
  get position(): number {
    return this.cursor
  }

  /** Stops reading (a reader that went away). */
  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.unsubscribe()
  }

  /** Writes what is left, sink pressure notwithstanding, and stops reading (an output closing down). */
  finish(): void {
    if (this.stopped) return
    this.stop()
    while (this.cursor < this.log.head) if (!this.writeBatch()) break
  }

  private schedule(): void {
    if (this.scheduled || this.waiting || this.stopped) return
    this.scheduled = true
    if (this.options.intervalMs === undefined) setImmediate(() => this.flush())
    else this.timer = setTimeout(() => this.flush(), this.options.intervalMs)
  }

  private flush(): void {
    this.scheduled = false
    if (this.stopped) return
    while (this.cursor < this.log.head) {
      if (!this.writeBatch()) {
        this.waiting = true
        this.sink.once('drain', () => {
          this.waiting = false
          this.flush()
        })
        return
      }
    }
  }

  /** One batch from the cursor; false when the sink asked to wait. */
  private writeBatch(): boolean {
    const { events, next, missed } = this.log.since(this.cursor, BATCH)
    this.cursor = next
    let chunk = missed > 0 ? this.options.missed(missed) : ''
    for (const event of events) chunk += this.options.format(event) ?? ''
    return chunk === '' || this.sink.write(chunk)
  }
}
