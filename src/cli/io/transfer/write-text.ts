import type { Writable } from 'node:stream'

/** Writes text and waits for the stream to drain when its buffer is full, so a slow disk or pipe slows the reader. */
export async function writeText(stream: Writable, text: string): Promise<void> {
  if (stream.errored) throw stream.errored
  if (stream.write(text)) return
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => {
      stream.off('drain', onDrain)
      stream.off('error', done)
      stream.off('close', onClose)
      if (error) reject(error)
      else resolve()
    }
    const onDrain = () => done()
    // a stream that failed earlier emits no further 'error'; its 'close' must not leave the writer waiting forever
    const onClose = () => done(stream.errored ?? new Error('the output closed before everything was written'))
    stream.once('drain', onDrain)
    stream.once('error', done)
    stream.once('close', onClose)
  })
}
