/**
 * Requests served per environment on the current UTC day (by the emulator clock), for usage figures. In memory
 * only: the figures count since the emulator started, and a new day starts each environment's count again.
 */
export class RequestCounts {
  private readonly counts = new Map<string, { day: string; count: number }>()

  constructor(private readonly nowMs: () => number) {}

  /** Counts one request made in an environment. */
  add(environmentId: string): void {
    const day = this.today()
    const entry = this.counts.get(environmentId)
    if (entry && entry.day === day) entry.count++
    else this.counts.set(environmentId, { day, count: 1 })
  }

  today(): string {
    return new Date(this.nowMs()).toISOString().slice(0, 10)
  }

  /** Requests in the environment today. */
  of(environmentId: string): number {
    const entry = this.counts.get(environmentId)
    return entry && entry.day === this.today() ? entry.count : 0
  }
}
