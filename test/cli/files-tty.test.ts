import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const MiB = 1024 * 1024

/** `bkend files` in a real terminal (tmux): progress while bytes move, Ctrl+C, and the delete question. */
describe('cli: bkend files on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: CliHarness
  const terminal = tmuxTerminal(`bkend-files-tty-${process.pid}`)
  const { waitForScreen } = terminal

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startCliHarness()
    await writeFile(join(h.dir, 'clip.mp4'), randomBytes(80 * MiB))
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  function start(command: string): Promise<void> {
    return terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(join(h.dir, 'config'))} ${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  }

  it('draws a byte progress bar that ends at 100 %, then the summary and the file', async () => {
    await start('files upload clip.mp4')
    const screen = await waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.match(/✔ Uploading clip\.mp4 █{24} 100% 80\.0 MiB [\d.]+ [KMG]iB\/s/)
    expect(screen).to.match(/Uploaded clip\.mp4 \(80\.0 MiB, multipart, 5 parts, [\d.]+ [KMG]iB\/s\) as file [0-9a-f]{24} in env dev\./)
    expect(screen).to.match(/mimeType\s+video\/mp4/)
    expect(screen).to.include('[exit 0]')
  })

  it('Ctrl+C stops an upload in flight and says the multipart upload was aborted', async () => {
    // The emulator takes the first part and then holds the others until the test lets go, so the upload is surely
    // still in flight when Ctrl+C arrives (a fast machine would otherwise finish 80 MiB between two screen reads).
    const transfer = h.emu.core.storage.transfer
    const receive = transfer.receive.bind(transfer)
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let parts = 0
    transfer.receive = async (...args) => {
      if (++parts > 1) await gate
      return receive(...args)
    }
    try {
      await start('files upload clip.mp4 --name stopped.mp4 --part-size 5M --concurrency 1')
      await waitForScreen((s) => /Uploading stopped\.mp4 █*░+ \d+% [1-9]/.test(s))
      await terminal.keys('C-c')
      const screen = await waitForScreen((s) => s.includes('[exit'))
      expect(screen).to.include('Error: upload of clip.mp4 interrupted')
      expect(screen).to.include('Hint: the multipart upload was aborted on the server')
      expect(screen).to.include('[exit 1]')
    } finally {
      release()
      delete (transfer as Partial<typeof transfer>).receive
    }
    expect((await h.run(['files', 'list', '--search', 'stopped', '--json'])).json.items).to.deep.equal([])
  })

  it('delete asks first; answering y deletes the file', async () => {
    await writeFile(join(h.dir, 'note.txt'), 'hi')
    const id = (await h.run(['files', 'upload', 'note.txt', '--json'])).json.id as string
    await start(`files delete ${id}`)
    expect(await waitForScreen((s) => s.includes('[y/N]'))).to.include(`Delete file ${id} and its bytes from dev? [y/N]`)
    await terminal.keys('y', 'Enter')
    const screen = await waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include(`Deleted file ${id} (environment dev).`).and.include('[exit 0]')
    expect((await h.run(['files', 'get', id, '--json'])).code).to.equal(1)
  })
})
