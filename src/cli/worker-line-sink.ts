import { EventEmitter } from 'node:events'
import { Worker } from 'node:worker_threads'
import type { LineSink } from '../emulator/core/observe/log-pump.js'

/**
 * The writer thread. Writes go out in pieces of at most PIPE_BUF (4096) bytes cut after a newline, so each is
 * atomic on a pipe and a line printed by the main thread meanwhile (a watch event, say) never lands inside one of
 * these. A reader that went away (EPIPE) ends the printing; nothing else stops it.
 */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads')
const { writeSync } = require('node:fs')
const wait = new Int32Array(new SharedArrayBuffer(4))
let closed = false
function writeAll(bytes) {
  let at = 0
  while (at < bytes.length) {
    try {
      at += writeSync(workerData.fd, bytes, at, bytes.length - at)
    } catch (error) {
      if (error.code === 'EAGAIN') { Atomics.wait(wait, 0, 0, 5); continue }
      throw error
    }
  }
}
parentPort.on('message', (chunk) => {
  if (!closed) {
    const bytes = Buffer.from(chunk)
    try {
      for (let start = 0; start < bytes.length; ) {
        let end = Math.min(start + 4096, bytes.length)
        if (end < bytes.length) {
          const cut = bytes.lastIndexOf(10, end - 1)
          if (cut >= start) end = cut + 1
        }
        writeAll(bytes.subarray(start, end))
        start = end
      }
    } catch (error) {
      closed = true
      parentPort.postMessage({ closed: error.code ?? String(error) })
    }
  }
  parentPort.postMessage(chunk.length)
})
`

/** Characters in flight to the writer thread before `write` asks the pump to wait: a few seconds of a busy server. */
const HIGH_WATER = 4 * 1024 * 1024

/**
 * A line sink that writes a file descriptor (stdout) from a thread of its own. Node writes stdout synchronously
 * when it is a pipe, a file or a terminal, so a reader that stops reading (`bkend dev --json | slow-consumer`, a
 * paused terminal) would stop the server's thread in `write()` once the pipe is full. Here the server's thread only
 * hands a chunk over; when the writer falls behind by HIGH_WATER, `write` returns false and the pump waits for
 * `drain` while the ring keeps the newest events and counts the rest as missed.
 */
export class WorkerLineSink extends EventEmitter implements LineSink {
  private worker: Worker | undefined
  private pending = 0
  private closed = false
  private blocked = false

  constructor(private readonly fd: number) {
    super()
  }

  write(chunk: string): boolean {
    if (this.closed) return true
    const worker = this.start()
    if (this.pending === 0) worker.ref()
    this.pending += chunk.length
    worker.postMessage(chunk)
    if (this.pending < HIGH_WATER) return true
    this.blocked = true
    return false
  }

  /** Resolves when everything handed over is written (or the reader went away), and ends the thread. */
  async end(): Promise<void> {
    if (!this.worker) return
    if (this.pending > 0 && !this.closed) await new Promise<void>((done) => this.once('idle', done))
    await this.worker.terminate()
    this.worker = undefined
  }

  /** The thread starts with the first chunk: a `bkend dev` nobody sends requests to never pays for it. */
  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WRITER, { eval: true, workerData: { fd: this.fd } })
    worker.on('message', (message: number | { closed: string }) => {
      if (typeof message !== 'number') {
        this.closed = true
        this.emit('idle')
        return
      }
      this.pending -= message
      if (this.blocked && this.pending < HIGH_WATER / 2) {
        this.blocked = false
        this.emit('drain')
      }
      if (this.pending === 0) {
        this.emit('idle')
        // note: an idle writer must not keep a stopping process alive; the next chunk holds it again.
        worker.unref()
      }
    })
    worker.on('error', () => {
      this.closed = true
      this.emit('idle')
    })
    this.worker = worker
    return worker
  }
}
