/**
 * Where an import stands in its input. Rows are read in order but settle (written or rejected) out of order, since
 * several requests are in flight: the point to resume from is the first row still in flight, or the row after the
 * last one read when none is.
 */
export class ImportPosition {
  /** Rows read and not yet settled; a Set keeps insertion order, which is input order, so the first is the lowest. */
  private readonly inFlight = new Set<number>()
  /** Rows after the first one in flight that have already settled (a handful: at most the requests in flight). */
  private ahead: number[] = []
  private lastRead: number

  /** `firstRow`: where this run starts reading (`--resume-from`), so a run stopped before any row keeps that point. */
  constructor(firstRow = 1) {
    this.lastRead = firstRow - 1
  }

  read(row: number): void {
    this.lastRead = row
    this.inFlight.add(row)
  }

  settled(row: number): void {
    this.inFlight.delete(row)
    const first = this.firstInFlight()
    if (first === undefined) this.ahead = []
    else {
      this.ahead = this.ahead.filter((r) => r > first)
      if (row > first) this.ahead.push(row)
    }
  }

  /** The row to resume from: every row before it is settled. */
  resumeFrom(): number {
    return this.firstInFlight() ?? this.lastRead + 1
  }

  /** Rows whose requests have not answered yet. */
  unsettled(): number[] {
    return [...this.inFlight]
  }

  /** Rows after `resumeFrom()` that are already settled: a resume from there sends them again. */
  settledAfterResume(): number[] {
    return [...this.ahead].sort((a, b) => a - b)
  }

  private firstInFlight(): number | undefined {
    for (const row of this.inFlight) return row
    return undefined
  }
}
