/**
 * Requests served per environment on the current UTC day (by the emulator clock), for usage figures. In memory
 * only: the figures count since the emulator started, and a new day starts each environment's count again.
 */
export class RequestCounts {
  private readonly counts = new Map<string, { day: string; count: number }>()
  /** The day last formatted, by its number since the epoch: formatting a date per request was 3 % of a GET's CPU. */
  private dayNumber = -1
  private dayText = ''

  constructor(private readonly nowMs: () => number) {}

  /** Counts one request made in an environment. */
  add(environmentId: string): void {
    const day = this.today()
    const entry = this.counts.get(environmentId)
    if (entry && entry.day === day) entry.count++
    else this.counts.set(environmentId, { day, count: 1 })
  }

  today(): string {
    const ms = this.nowMs()
    const number = Math.floor(ms / 86_400_000)
    if (number !== this.dayNumber) {
      this.dayNumber = number
      this.dayText = new Date(ms).toISOString().slice(0, 10)
    }
    return this.dayText
  }

  /** Requests in the environment today. */
  of(environmentId: string): number {
    const entry = this.counts.get(environmentId)
    return entry && entry.day === this.today() ? entry.count : 0
  }
}
