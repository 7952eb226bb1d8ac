import { StoreWriteError, type AppendFile, type StoreFiles } from './files.js'

/** When journal writes reach the disk platter: once a second (default) or before every acknowledgement. */
export type FsyncPolicy = 'everysec' | 'always'

/** What the journal tells its database, synchronously, before any appender's promise settles. */
export interface JournalHooks {
  /** The oldest `lines` queued lines are written. */
  written(lines: number): void
  /** Every line not yet written is refused. */
  refused(): void
  /** Runs after each batch is durable, while no other batch can start (compaction hooks in here). */
  afterBatch(): Promise<void>
}

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
  /** The last write failure, until a later batch is written; the journal keeps accepting (and retrying) writes. */
  private failure: StoreWriteError | null = null
  /** A failed batch could not be cut off the file: nothing more may be appended after its partial bytes. */
  private torn = false
  private closed = false
  /** Bytes currently in the journal file. */
  size: number
  /** Write calls and lines written since open: group commit shows as far fewer batches than lines. */
  readonly stats = { batches: 0, lines: 0 }

  private constructor(
    private file: AppendFile,
    private readonly files: StoreFiles,
    readonly path: string,
    size: number,
    private readonly fsync: FsyncPolicy,
    private readonly hooks: JournalHooks,
  ) {
    this.size = size
    if (fsync === 'everysec') {
      this.syncTimer = setInterval(() => void this.syncIfDirty(), 1000)
      this.syncTimer.unref()
    }
  }

  static async open(path: string, size: number, fsync: FsyncPolicy, hooks: JournalHooks, files: StoreFiles): Promise<Journal> {
    const file = await files.openAppend(path)
    return new Journal(file, files, path, size, fsync, hooks)
  }

  /** Why the journal refuses writes (closed), or null while it accepts them. */
  get refusal(): Error | null {
    return this.closed ? new Error(`journal is closed (${this.path})`) : null
  }

  /** The failure of the last batch, or null once a batch was written after it. */
  get lastFailure(): StoreWriteError | null {
    return this.failure
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
      if (this.torn) await this.cutBack()
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
      // The batch is refused, and so is everything queued behind it (its writers may have read its effects); the
      // database rolls all of it back from memory. Its partial bytes are cut off so a restart never replays them.
      this.failure = StoreWriteError.of(error, `journal write (${this.path})`)
      this.torn = true
      await this.cutBack().catch(() => undefined)
      this.pending = []
      this.hooks.refused()
      for (const w of waiters) w.reject(this.failure)
      for (const w of this.waiters.splice(0)) w.reject(this.failure)
      return
    }
    this.failure = null
    this.hooks.written(lines.length)
    for (const w of waiters) w.resolve()
    await this.hooks.afterBatch()
  }

  /** Truncates the file to the bytes of acknowledged batches. */
  private async cutBack(): Promise<void> {
    await this.file.truncate(this.size)
    if (this.fsync === 'always') await this.file.datasync()
    this.torn = false
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
    // Partial bytes of a refused batch must not be sealed: the segment would be replayed with them.
    if (this.torn) await this.cutBack()
    await this.files.rename(this.path, sealedPath)
    let next: AppendFile
    try {
      next = await this.files.openAppend(this.path)
    } catch (error) {
      await this.files.rename(sealedPath, this.path)
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
