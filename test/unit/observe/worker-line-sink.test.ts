import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { closeSync, constants, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { WorkerLineSink } from '../../../src/cli/worker-line-sink.js'
import { tempDir } from '../../helpers/tmp.js'

/** A real pipe nobody reads yet: a FIFO with its read end open (non-blocking), so writes fill the kernel buffer. */
async function stalledPipe() {
  const { dir, cleanup } = await tempDir('bkend-sink-')
  const path = join(dir, 'fifo')
  execFileSync('mkfifo', [path])
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  const writer = openSync(path, constants.O_WRONLY)
  const readAll = () => {
    const chunks: Buffer[] = []
    const buffer = Buffer.alloc(1 << 16)
    for (;;) {
      try {
        const n = readSync(reader, buffer, 0, buffer.length, null)
        if (n === 0) break
        chunks.push(Buffer.from(buffer.subarray(0, n)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break
        throw error
      }
    }
    return Buffer.concat(chunks).toString()
  }
  return {
    writer,
    readAll,
    close: async () => {
      closeSync(writer)
      closeSync(reader)
      await cleanup()
    },
  }
}

const line = (n: number) => `${JSON.stringify({ event: 'request', n, pad: 'x'.repeat(200) })}\n`
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('unit: the worker line sink (stdout written off the server thread)', function () {
  this.timeout(20_000)

  it('a stalled reader never blocks the caller: write returns at once, false past the high-water mark, drain once the reader catches up', async () => {
    const pipe = await stalledPipe()
    const sink = new WorkerLineSink(pipe.writer)
    try {
      // 64 KiB fill the pipe; a write that blocked on it would hang here, since nothing reads until the loop ends
      const chunk = Array.from({ length: 400 }, (_, i) => line(i)).join('')
      let accepted = 0
      for (let i = 0; i < 200; i++) {
        const more = sink.write(chunk)
        accepted++
        if (!more) break
      }
      expect(accepted, 'the sink asked to wait before 200 chunks of 86 KB').to.be.below(200)
      const drained = new Promise<void>((done) => sink.once('drain', done))
      let text = ''
      for (let tries = 0; tries < 2000; tries++) {
        text += pipe.readAll()
        if (await Promise.race([drained.then(() => true), sleep(1).then(() => false)])) break
      }
      await drained
      const ended = sink.end()
      for (let tries = 0; tries < 5000 && text.length < accepted * chunk.length; tries++) {
        text += pipe.readAll()
        await sleep(1)
      }
      await ended
      text += pipe.readAll()
      expect(text.length).to.equal(accepted * chunk.length)
      const lines = text.trimEnd().split('\n')
      expect(lines).to.have.length(accepted * 400)
      // whole lines, in order: no write was torn or reordered
      lines.forEach((text, i) => expect((JSON.parse(text) as { n: number }).n).to.equal(i % 400))
    } finally {
      await sink.end()
      await pipe.close()
    }
  })

  it('end() resolves after everything handed over is written', async () => {
    const pipe = await stalledPipe()
    const sink = new WorkerLineSink(pipe.writer)
    try {
      sink.write(line(1) + line(2))
      await sink.end()
      expect(pipe.readAll()).to.equal(line(1) + line(2))
    } finally {
      await pipe.close()
    }
  })
})
