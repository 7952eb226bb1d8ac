import type { Writable } from 'node:stream'

/** The one pending wait for 'drain' per stream, shared by every writer that found the buffer full. */
const draining = new WeakMap<Writable, Promise<void>>()

/** Writes text and waits for the stream to drain when its buffer is full, so a slow disk or pipe slows the reader. */
export async function writeText(stream: Writable, text: string): Promise<void> {
  if (stream.errored) throw stream.errored
  if (stream.write(text)) return
  await drained(stream)
}

/**
 * Resolves on the stream's next 'drain'. Concurrent writers (an import's requests rejecting rows at once) share one
 * set of listeners: a set per waiter grows past Node's limit of 10 and prints a MaxListenersExceededWarning each time.
 */
function drained(stream: Writable): Promise<void> {
  const pending = draining.get(stream)
  if (pending) return pending
  const wait = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => {
      // forgotten before anyone resumes, so a writer that fills the buffer again waits for the next 'drain'
      draining.delete(stream)
      stream.off('drain', onDrain)
      stream.off('error', done)
      stream.off('close', onClose)
      if (error) reject(error)
      else resolve()
    }
    const onDrain = () => done()
    // a stream that failed earlier emits no further 'error'; its 'close' must not leave the writers waiting forever
    const onClose = () => done(stream.errored ?? new Error('the output closed before everything was written'))
    stream.once('drain', onDrain)
    stream.once('error', done)
    stream.once('close', onClose)
  })
  draining.set(stream, wait)
  return wait
}
