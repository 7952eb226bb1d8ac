import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

/** `bkend data import` in a real terminal (tmux): what a person sees when Ctrl+C stops it. */
describe('cli: bkend data import on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: CliHarness
  const terminal = tmuxTerminal(`bkend-data-tty-${process.pid}`)

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startCliHarness()
    await h.table('posts')
    await writeFile(join(h.dir, 'posts.ndjson'), Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ seq: i + 1 })).join('\n') + '\n')
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  it('Ctrl+C stops the bar where it is, then prints the summary and the command to go on; exit 130', async () => {
    await terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(join(h.dir, 'config'))} ${quote(process.execPath)} ${quote(BIN)} data import posts posts.ndjson --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
    await terminal.waitForScreen((s) => /Importing into posts █*░+ \d+% [1-9][\d,]* rows/.test(s))
    await terminal.keys('C-c')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.match(/■ Importing into posts █*░+ \d+% [\d,]+ rows/)
    expect(screen).to.not.include('✔')
    expect(screen).to.match(/Interrupted: imported ([\d,]+) of \1 rows read into posts \(env dev\) in [\d.]+ s, 0 rejected\./)
    const next = /Every row before line ([\d,]+) was written or rejected/.exec(screen)
    expect(next).to.not.equal(null)
    expect(screen).to.include(`--resume-from ${next![1]!.replaceAll(',', '')}`)
    expect(screen).to.include('[exit 130]')
  })
})
