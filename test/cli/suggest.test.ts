import { expect } from 'chai'
import { runCli } from '../helpers/cli.js'
import { closestCommand, mayOfferToRun } from '../../src/cli/suggest.js'

const IDS = ['dev', 'dev:clock', 'mcp', 'tables:list', 'tables:delete', 'envs:list', 'envs:delete', 'keys:revoke', 'mail:clear', 'logout', 'login', 'status']

describe('cli: did-you-mean', () => {
  describe('closestCommand', () => {
    const cases: Array<[string, string | undefined]> = [
      ['tabels:list', 'tables:list'],
      ['tables:lst', 'tables:list'],
      ['statsu', 'status'],
      ['dve', 'dev'],
      ['-v', undefined],
      ['zzzzqqq', undefined],
      ['envs:delet', 'envs:delete'],
    ]
    for (const [typed, expected] of cases) {
      it(`${typed} → ${expected ?? 'no suggestion'}`, () => expect(closestCommand(typed, IDS)).to.equal(expected))
    }
  })

  describe('mayOfferToRun', () => {
    const cases: Array<[string, boolean]> = [
      ['tables:list', true],
      ['dev:clock', true],
      ['login', true],
      ['dev', false],
      ['mcp', false],
      ['logout', false],
      ['envs:delete', false],
      ['keys:revoke', false],
      ['mail:clear', false],
      ['tables:fields:remove', false],
      ['auth:providers:disable', false],
    ]
    for (const [id, offered] of cases) {
      it(`${id} ${offered ? 'may be offered to run' : 'is only ever suggested'}`, () => expect(mayOfferToRun(id)).to.equal(offered))
    }
  })

  describe('the built CLI without a terminal', function () {
    this.timeout(30_000)

    it('bkend -v and -V print the version like --version', async () => {
      const version = await runCli(['--version'])
      expect(version.code).to.equal(0)
      expect(version.stdout).to.match(/^bkend\/\d+\.\d+\.\d+ /)
      for (const flag of ['-v', '-V']) {
        const run = await runCli([flag])
        expect(run.code, run.stderr).to.equal(0)
        expect(run.stdout).to.equal(version.stdout)
      }
    })

    it('a mistyped command prints the suggestion and exits 2, running nothing', async () => {
      const run = await runCli(['dve'])
      expect(run.code).to.equal(2)
      expect(run.stdout).to.equal('')
      expect(run.stderr).to.equal('Error: "dve" is not a bkend command\nHint: did you mean "bkend dev"? (see "bkend dev --help")\n')
    })

    it('a mistyped safe command is only suggested too when stdin is not a terminal', async () => {
      const run = await runCli(['tabels', 'list'], { input: 'y\n' })
      expect(run.code).to.equal(2)
      expect(run.stdout).to.equal('')
      expect(run.stderr).to.include('Hint: did you mean "bkend tables list"?').and.not.include('[y/N]')
    })

    it('nothing close: points at help', async () => {
      const run = await runCli(['zzzzqqq'])
      expect(run.code).to.equal(2)
      expect(run.stderr).to.equal('Error: "zzzzqqq" is not a bkend command\nHint: run "bkend help" for the list of commands\n')
    })
  })
})
