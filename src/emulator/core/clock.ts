/**
 * The emulator's notion of now. Every expiry in core reads this clock, so `/_emulator/clock` can shift time for
 * expiry tests without waiting.
 */
export class Clock {
  private offsetMs = 0
  /** The last millisecond `isoOf` formatted, and its text. */
  private lastMs = Number.NaN
  private lastIso = ''

  now(): Date {
    return new Date(this.nowMs())
  }

  nowMs(): number {
    return Date.now() + this.offsetMs
  }

  /** Now as an ISO 8601 UTC string with milliseconds. */
  iso(): string {
    return this.isoOf(this.nowMs())
  }

  /** An emulator-clock millisecond as `iso()` writes it; the writes of one millisecond share the formatting. */
  isoOf(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms
      this.lastIso = new Date(ms).toISOString()
    }
    return this.lastIso
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000
  }

  /** Moves the clock forward (or back, with a negative value) by some seconds. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000
  }

  /** Sets the total shift from real time. */
  setOffset(seconds: number): void {
    this.offsetMs = seconds * 1000
  }
}
