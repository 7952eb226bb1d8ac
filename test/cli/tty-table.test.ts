import { expect } from 'chai'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** What a person sees in an 80-column terminal: ids and keys whole, other columns cut or hidden, with a note. */
describe('cli: tables in an 80-column terminal (tmux)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  let key: { id: string; key: string; maskedKey: string }
  const terminal = tmuxTerminal(`bkend-tty-table-${process.pid}`, { columns: 80, rows: 30 })
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    const created = await h.run(['keys', 'create', 'a publishable key for the web app', '--scope', 'posts:read', '--scope', 'posts:list', '--json'])
    expect(created.code, created.stderr).to.equal(0)
    key = created.json
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  async function screenOf(command: string): Promise<string[]> {
    await terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'), { joinWrapped: true })
    return screen.split('\n').filter((l) => l.trim() !== '')
  }

  it('keys list keeps masked keys and ids whole in 80 columns, cutting the other columns and hiding what does not fit', async () => {
    const lines = await screenOf('keys list')
    const row = lines.find((l) => l.includes(key.id))
    expect(row, lines.join('\n')).to.match(new RegExp(`^a publi…  publish…  ${key.maskedKey}  active  posts:r…  ${key.id}\\s*$`))
    expect(lines.join('\n')).to.not.include(key.key)
    expect(lines[0]).to.match(/^Name\s+Type\s+Key\s+Status\s+Scopes\s+Id\s*$/)
    expect(lines).to.include('Hidden to fit the terminal: Expires (choose with --columns)')
    expect(lines.at(-1)).to.equal('[exit 0]')
  })

  it('--columns shows the columns asked for, none hidden: the others narrowed and cut with …, ids and keys whole', async () => {
    const lines = await screenOf('keys list --columns name,scopes,id')
    expect(lines[0]).to.match(/^Name\s+Scopes\s+Id\s*$/)
    const row = lines.find((l) => l.endsWith(key.id))
    expect(row, lines.join('\n')).to.match(new RegExp(`^a publishable key for the web …  posts:read posts:list  ${key.id}$`))
    expect(lines.some((l) => l.startsWith('Hidden'))).to.equal(false)

    const narrow = await screenOf('keys list --columns id,scopes,name,key')
    expect(narrow[0]).to.match(/^Id\s+Scopes\s+Name\s+Key\s*$/)
    expect(narrow.find((l) => l.startsWith(key.id)), narrow.join('\n')).to.match(new RegExp(`^${key.id}  posts:read posts…  a publishable ke…  ${key.maskedKey}$`))
    expect(narrow.some((l) => l.startsWith('Hidden'))).to.equal(false)
  })
})
