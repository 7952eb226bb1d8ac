import type { RequestEvent } from '../../../contract/request-log.js'

/** A listener is told of each appended event; it must only note it (queue, mark dirty), never do work inline. */
export type RequestListener = (event: RequestEvent, seq: number) => void

/**
 * The bounded ring of recent requests: the request path only appends (O(1), no I/O), and every reader (the stdout
 * printer, `/_emulator/logs` streams, the dashboard, `dev explain`) reads from here at its own pace. Events are
 * numbered; a reader remembers the number it has read up to, and one that fell behind the ring is told how many
 * events it missed instead of holding the writer back.
 */
export class RequestLog {
  private readonly ring: Array<RequestEvent | undefined>
  /** Number of the next event appended; events `next - size … next - 1` are held. */
  private next = 0
  /** Number of the first event after the last `clear()`. */
  private cleared = 0
  private readonly listeners = new Set<RequestListener>()

  constructor(readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('the request log needs a capacity of at least 1')
    this.ring = new Array<RequestEvent | undefined>(capacity)
  }

  /** Number the next appended event will get: a reader starting now reads from here. */
  get head(): number {
    return this.next
  }

  /** Number of the oldest event still held. */
  get oldest(): number {
    return Math.max(this.cleared, this.next - this.capacity)
  }

  append(event: RequestEvent): void {
    const seq = this.next++
    this.ring[seq % this.capacity] = event
    for (const listener of this.listeners) listener(event, seq)
  }

  /** Events from number `from` on (at most `limit`), and how many before them were already overwritten. */
  since(from: number, limit = this.capacity): { events: RequestEvent[]; next: number; missed: number } {
    const start = Math.max(from, this.oldest)
    const end = Math.min(this.next, start + limit)
    const events: RequestEvent[] = []
    for (let seq = start; seq < end; seq++) events.push(this.ring[seq % this.capacity]!)
    return { events, next: end, missed: start - Math.min(from, start) }
  }

  /** The newest events, oldest first. */
  recent(limit: number): RequestEvent[] {
    return this.since(Math.max(this.oldest, this.next - limit)).events
  }

  /** An event still held, by request id (newest first, so a reused id finds the latest). */
  find(id: string): RequestEvent | undefined {
    for (let seq = this.next - 1; seq >= this.oldest; seq--) {
      const event = this.ring[seq % this.capacity]!
      if (event.id === id) return event
    }
    return undefined
  }

  subscribe(listener: RequestListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Forgets every held event; numbering goes on, so readers' cursors stay valid. */
  clear(): void {
    this.ring.fill(undefined)
    this.cleared = this.next
  }
}
