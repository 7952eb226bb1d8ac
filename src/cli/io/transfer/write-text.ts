import type { Writable } from 'node:stream'

/** Writes text and waits for the stream to drain when its buffer is full, so a slow disk or pipe slows the reader. */
export async function writeText(stream: Writable, text: string): Promise<void> {
  if (stream.write(text)) return
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain)
      stream.off('error', done)
      if (error) reject(error)
      else resolve()
    }
    const onDrain = () => done()
    stream.once('drain', onDrain)
    stream.once('error', done)
  })
}
