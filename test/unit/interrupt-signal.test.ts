import { expect } from 'chai'
import { setImmediate as tick } from 'node:timers/promises'
import { interruptSignal } from '../../src/cli/io/file-transfer.js'

describe('unit: interruptSignal', () => {
  it('keeps its listener through the Ctrl+C it handles, so a later listener (signal-exit) does not see itself alone and kill', async () => {
    const baseline = process.listeners('SIGINT').length
    const { signal, dispose } = interruptSignal()
    let aloneDuringSignal: boolean | undefined
    // signal-exit re-raises a signal when its own handler is the only one left
    const lateListener = () => (aloneDuringSignal = process.listeners('SIGINT').length === baseline + 1)
    process.on('SIGINT', lateListener)
    try {
      process.emit('SIGINT')
      expect(signal.aborted).to.equal(true)
      expect(aloneDuringSignal).to.equal(false)
      await tick()
      // then it lets go, so a second Ctrl+C gets the default handling
      expect(process.listeners('SIGINT')).to.have.length(baseline + 1)
    } finally {
      process.off('SIGINT', lateListener)
      dispose()
    }
  })
})
