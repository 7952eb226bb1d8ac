import { open, rename, type FileHandle } from 'node:fs/promises'

/** When journal writes reach the disk platter: once a second (default) or before every acknowledgement. */
export type FsyncPolicy = 'everysec' | 'always'

interface Waiter {
  resolve: () => void
  reject: (error: Error) => void
}

/**
 * Append-only NDJSON journal with group commit: every line appended during one tick is written with a single
 * `write`, and each appender's promise settles only after that write (and, with `always`, the fsync) returned.
 */
export class Journal {
  private pending: string[] = []
  private waiters: Waiter[] = []
  private scheduled = false
  private writing: Promise<void> | null = null
  private dirty = false
  private syncTimer: NodeJS.Timeout | null = null
  private failure: Error | null = null
  private closed = false
  /** Bytes currently in the journal file. */
  size: number
  /** Write calls and lines written since open: group commit shows as far fewer batches than lines. */
  readonly stats = { batches: 0, lines: 0 }

  private constructor(
    private file: FileHandle,
    readonly path: string,
    size: number,
    private readonly fsync: FsyncPolicy,
    /** Runs after each batch is durable, while no other batch can start (compaction hooks in here). */
    private readonly afterBatch: () => Promise<void>,
  ) {
    this.size = size
    if (fsync === 'everysec') {
      this.syncTimer = setInterval(() => void this.syncIfDirty(), 1000)
      this.syncTimer.unref()
    }
  }

  static async open(path: string, size: number, fsync: FsyncPolicy, afterBatch: () => Promise<void>): Promise<Journal> {
    const file = await open(path, 'a')
    return new Journal(file, path, size, fsync, afterBatch)
  }

  /** Why the journal refuses writes (a failed write, or closed), or null while it accepts them. */
  get refusal(): Error | null {
    return this.failure ?? (this.closed ? new Error(`journal is closed (${this.path})`) : null)
  }

  /** Queues one line (without its newline) and resolves once it is written. */
  append(line: string): Promise<void> {
    const refusal = this.refusal
    if (refusal) return Promise.reject(refusal)
    this.pending.push(line)
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
    this.schedule()
    return done
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.writing = this.writeBatch().finally(() => {
        this.writing = null
        if (this.pending.length > 0) this.schedule()
      })
    })
  }

  private async writeBatch(): Promise<void> {
    const lines = this.pending
    const waiters = this.waiters
    this.pending = []
    this.waiters = []
    if (lines.length === 0) return
    const chunk = Buffer.from(lines.join('\n') + '\n', 'utf8')
    try {
      let offset = 0
      while (offset < chunk.length) {
        const { bytesWritten } = await this.file.write(chunk, offset, chunk.length - offset)
        offset += bytesWritten
      }
      this.size += chunk.length
      this.stats.batches += 1
      this.stats.lines += lines.length
      if (this.fsync === 'always') await this.file.datasync()
      else this.dirty = true
    } catch (error) {
      // note: memory is now ahead of disk; refuse every later write rather than acknowledge what may be lost.
      this.failure = new Error(`journal write failed (${this.path}): ${(error as Error).message}`)
      for (const w of waiters) w.reject(this.failure)
      for (const w of this.waiters.splice(0)) w.reject(this.failure)
      this.pending = []
      return
    }
    for (const w of waiters) w.resolve()
    await this.afterBatch()
  }

  private async syncIfDirty(): Promise<void> {
    if (!this.dirty || this.closed) return
    this.dirty = false
    try {
      await this.file.datasync()
    } catch {
      this.dirty = true
    }
  }

  /** Waits until everything appended so far is written. */
  async drain(): Promise<void> {
    while (this.writing || this.scheduled || this.pending.length > 0) {
      if (this.writing) await this.writing
      else await new Promise((resolve) => setImmediate(resolve))
    }
  }

  /**
   * Runs `fn` while no batch is being written; batches appended meanwhile wait for it. Use it to call `rotate`
   * from outside `afterBatch`.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.writing || this.scheduled) {
      if (this.writing) await this.writing
      else await new Promise((resolve) => setImmediate(resolve))
    }
    const run = fn()
    this.writing = run.then(
      () => undefined,
      () => undefined,
    )
    try {
      return await run
    } finally {
      this.writing = null
      if (this.pending.length > 0) this.schedule()
    }
  }

  /**
   * Seals the file as `sealedPath` and continues in a new, empty file at `path`: the cut of a compaction, after
   * which new batches go to the new segment. Only call between batches (from `afterBatch` or inside `exclusive`).
   * Resolves with a function that closes the sealed segment.
   */
  async rotate(sealedPath: string): Promise<() => Promise<void>> {
    await rename(this.path, sealedPath)
    let next: FileHandle
    try {
      next = await open(this.path, 'a')
    } catch (error) {
      await rename(sealedPath, this.path)
      throw error
    }
    const sealed = this.file
    this.file = next
    this.size = 0
    this.dirty = false
    // Nothing to sync: with `always` every batch already was, with `everysec` the sealed segment is as safe in the
    // page cache as the snapshot that will replace it.
    return () => sealed.close()
  }

  async close(): Promise<void> {
    await this.drain()
    this.closed = true
    if (this.syncTimer) clearInterval(this.syncTimer)
    await this.file.datasync().catch(() => undefined)
    await this.file.close()
  }
}
