import { expect } from 'chai'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** Deleting an environment or a project (the name typed), widening a table's permissions: asked on a terminal, --yes without one. */
describe('cli: confirmations', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-prompts-${process.pid}`)
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    expect((await h.run(['envs', 'create', 'staging'])).code).to.equal(0)
    expect((await h.run(['projects', 'create', 'Shop Front'])).code).to.equal(0)
    expect((await h.run(['tables', 'create', 'notes'])).code).to.equal(0)
    expect((await h.run(['tables', 'permissions', 'set', 'notes', '--allow', 'user=read', '--allow', 'self=read,update,delete,list', '--allow', 'guest='])).code).to.equal(0)
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  function start(command: string): Promise<void> {
    return terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  }
  const envNames = async () => (await h.run(['envs', 'list', '--json'])).json.environments.map((e: { environment: string }) => e.environment)

  it('envs delete names the project and what goes; a y or a wrong name cancels and changes nothing', async () => {
    const project = (await h.run(['projects', 'get', '--json'])).json
    await start('envs delete staging')
    const prompt = await terminal.waitForScreen((s) => s.includes('to confirm:'))
    expect(prompt).to.include(`Deleting environment staging of project ${project.slug} with all its tables, records, users, files and API keys.`)
    expect(prompt).to.include('This cannot be undone.').and.include('Type staging to confirm:')
    await terminal.keys('y', 'Enter')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('Error: cancelled, nothing was changed').and.include('[exit 1]')
    expect(await envNames()).to.deep.equal(['dev', 'staging'])
  })

  it('envs delete goes ahead once the name is typed', async () => {
    await start('envs delete staging')
    await terminal.waitForScreen((s) => s.includes('Type staging to confirm:'))
    await terminal.keys('staging', 'Enter')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('Deleted environment staging.').and.include('[exit 0]')
    expect(await envNames()).to.deep.equal(['dev'])
  })

  it('projects delete asks for the slug, listing the environments that go with it', async () => {
    await start('projects delete "Shop Front"')
    const prompt = await terminal.waitForScreen((s) => s.includes('to confirm:'))
    expect(prompt).to.match(/Deleting project shop-front \([0-9a-f]{24}\) with its 1 environment \(dev\) and all their tables/)
    expect(prompt).to.include('Type shop-front to confirm:')
    await terminal.keys('shop', 'Enter')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('cancelled, nothing was changed').and.include('[exit 1]')
    expect((await h.run(['projects', 'get', 'shop-front', '--json'])).code).to.equal(0)

    await start('projects delete shop-front')
    await terminal.waitForScreen((s) => s.includes('Type shop-front to confirm:'))
    await terminal.keys('shop-front', 'Enter')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('Deleted project shop-front.').and.include('[exit 0]')
    expect((await h.run(['projects', 'get', 'shop-front', '--json'])).code).to.equal(1)
  })

  it('without a terminal, envs delete refuses unless --yes, and says so', async () => {
    expect((await h.run(['envs', 'create', 'preview'])).code).to.equal(0)
    const refused = await h.run(['envs', 'delete', 'preview'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('needs confirmation').and.include('Hint: pass --yes')
    expect(await envNames()).to.include('preview')
    const deleted = await h.run(['envs', 'delete', 'preview', '--yes', '--json'])
    expect(deleted.code, deleted.stderr).to.equal(0)
    expect(deleted.json.deleted.environment).to.equal('preview')
    expect(await envNames()).to.not.include('preview')
  })

  const permissionsOf = async () => (await h.run(['tables', 'permissions', 'get', 'notes', '--json'])).json.permissions

  it('tables permissions set --defaults warns what it widens and asks; no cancels and changes nothing', async () => {
    const before = await permissionsOf()
    await start('tables permissions set notes --defaults')
    const prompt = await terminal.waitForScreen((s) => s.includes('[y/N]'))
    expect(prompt).to.include('Warning: the defaults widen access to notes:')
    expect(prompt).to.include('  - any signed-in user may now create').and.include('  - guests (anyone, signed in or not) may now read, list')
    expect(prompt).to.include('Widen access to notes (dev)? [y/N]')
    await terminal.keys('Enter')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('cancelled, nothing was changed').and.include('[exit 1]')
    expect(await permissionsOf()).to.deep.equal(before)
  })

  it('without a terminal, a widening --defaults is refused unless --yes; a narrowing one is not asked about', async () => {
    const refused = await h.run(['tables', 'permissions', 'set', 'notes', '--defaults'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('Warning: the defaults widen access to notes:').and.include('Widen access to notes (dev): needs confirmation').and.include('Hint: pass --yes')
    expect(await permissionsOf()).to.not.equal(null)
    const applied = await h.run(['tables', 'permissions', 'set', 'notes', '--defaults', '--yes', '--json'])
    expect(applied.code, applied.stderr).to.equal(0)
    expect(applied.json.permissions).to.equal(null)
    const again = await h.run(['tables', 'permissions', 'set', 'notes', '--defaults'])
    expect(again.code, again.stderr).to.equal(0)
    expect(again.stderr).to.equal('')
  })
})
