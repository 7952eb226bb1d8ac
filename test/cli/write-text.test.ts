import { expect } from 'chai'
import { Writable } from 'node:stream'
import { writeText } from '../../src/cli/io/transfer/write-text.js'

/** A stream with a tiny buffer that takes a millisecond per write, so nearly every write has to wait for 'drain'. */
function slowStream() {
  const received: string[] = []
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.toString())
      setTimeout(callback, 1)
    },
  })
  return { stream, received }
}

describe('cli: writeText', () => {
  it('lets many concurrent writers wait for one drain without a MaxListenersExceededWarning, keeping their order', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const { stream, received } = slowStream()
      let peakListeners = 0
      const lines = Array.from({ length: 200 }, (_, i) => `rejected row ${i}\n`)
      await Promise.all(
        lines.map(async (line) => {
          const written = writeText(stream, line)
          peakListeners = Math.max(peakListeners, stream.listenerCount('drain'))
          await written
        }),
      )
      // warnings are emitted on a later tick
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.map((w) => w.name)).to.deep.equal([])
      expect(peakListeners).to.equal(1)
      expect(received).to.have.length(200)
      expect(received.join('')).to.equal(lines.join(''))
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('fails every waiting writer when the stream closes before draining', async () => {
    const stream = new Writable({ highWaterMark: 4, write: () => undefined })
    const waits = [writeText(stream, 'first line'), writeText(stream, 'second line')].map((p) => p.then(() => 'resolved', (error: Error) => error.message))
    stream.destroy()
    expect(await Promise.all(waits)).to.deep.equal(['the output closed before everything was written', 'the output closed before everything was written'])
  })
})
