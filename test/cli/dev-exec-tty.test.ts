import { expect } from 'chai'
import { readdir } from 'node:fs/promises'
import { BIN } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'

/** `bkend dev exec` at a terminal: the command holds it (reads the keyboard, owns the screen) and Ctrl+C ends both. */
describe('cli: dev exec at a terminal', function () {
  this.timeout(60_000)
  const terminal = tmuxTerminal(`bkend-dev-exec-${process.pid}`)
  let dir: string
  let cleanup: () => Promise<void>
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    ;({ dir, cleanup } = await tempDir())
  })
  after(async () => {
    await terminal.close()
    await cleanup()
  })

  it('gives the command the keyboard, and Ctrl+C reaches it once and stops command and emulator with status 130', async () => {
    const child = [
      `const rl = require('readline').createInterface({ input: process.stdin })`,
      // a second SIGINT would turn many tools' graceful stop into a forced one: count them before exiting
      `let sigints = 0`,
      `process.on('SIGINT', () => { if (sigints++ === 0) setTimeout(() => { console.log('child: SIGINT x' + sigints); process.exit(130) }, 300) })`,
      `console.log('child: name?')`,
      `rl.on('line', (line) => console.log('child: hello ' + line + ' in ' + process.env.BKEND_DATA_DIR))`,
    ].join('; ')
    await terminal.start(`cd ${quote(dir)} && TMPDIR=${quote(dir)} ${quote(process.execPath)} ${quote(BIN)} dev exec -- ${quote(process.execPath)} -e ${quote(child)}; echo "[exit $?]"; sleep 60`)
    const asked = await terminal.waitForScreen((s) => s.includes('child: name?'))
    expect(asked).not.to.include('bkend dev exec')
    await terminal.keys('ada', 'Enter')
    const greeted = await terminal.waitForScreen((s) => s.includes('child: hello ada in'), { joinWrapped: true })
    expect(greeted).to.include(`child: hello ada in ${dir}/bkend-exec-`)
    await terminal.keys('C-c')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('child: SIGINT x1').and.include('[exit 130]')
    expect(screen).not.to.include('Error')
    expect((await readdir(dir)).filter((name) => name.startsWith('bkend-exec-'))).to.deep.equal([])
  })
})
