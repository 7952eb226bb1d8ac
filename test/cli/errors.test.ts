import { expect } from 'chai'
import { Errors } from '@oclif/core'
import { showError } from '../../src/cli/base-command.js'
import { mcpAuth } from '../../src/cli/connect.js'
import { CliError } from '../../src/cli/errors.js'
import type { TargetContext } from '../../src/cli/target.js'
import { ClientError } from '../../src/client/errors.js'

describe('cli: one error path (showError and the hint table)', () => {
  const shown = (error: Error) => showError(error)

  it('shows a ClientError with the hint the table gives its code and details, exit 1', () => {
    const missing = shown(new ClientError('data/environment-not-found', 'no environment "prod" in project p', 404, { resource: 'environment', ref: 'prod', known: ['dev', 'staging'] }))
    expect(missing).to.deep.equal({ shown: { code: 'data/environment-not-found', message: 'no environment "prod" in project p', hint: 'pass --env with one of: dev, staging' }, exitCode: 1 })
    // the same code without the known names is the key's environment gone
    expect(shown(new ClientError('data/environment-not-found', 'x', 404)).shown.hint).to.equal("the key's project or environment is gone; run 'bkend status'")
  })

  const cases: Array<[string, ClientError, string]> = [
    ['a login to a URL target is needed', new ClientError('auth/login-required', 'x', 401, { target: 'https://b.example' }), "run 'bkend login --target https://b.example' (or set BKEND_ACCESS_TOKEN in CI)"],
    ['the tenant token was refused', new ClientError('auth/unauthorized', 'x', 401, { auth: 'tenant-token' }), 'the tenant token in runtime.json was revoked, or another bkend dev rewrote runtime.json: restart bkend dev'],
    ['a secret key was refused', new ClientError('auth/invalid-token', 'x', 401), "check the key (--secret-key or BKEND_SECRET_KEY), or run 'bkend status' to see which target and key are in use"],
    ['a target lacks a delete tool', new ClientError('target/unsupported', 'x', 0, { tool: 'backend_table_delete' }), 'delete it in the bkend console'],
    ['a key is missing', new ClientError('common/key-not-found', 'x', 404, { environment: 'staging' }), "list what exists with 'bkend keys list --env staging'"],
    ['a table is missing in an environment', new ClientError('data/table-not-found', 'x', 404, { environment: 'dev' }), "check the name with 'bkend tables list --env dev', or create it with 'bkend tables create'"],
    ['nothing answers', new ClientError('target/unreachable', 'x', 0), "start the emulator with 'bkend dev' (or pass --data-dir), or check --target and your network connection"],
  ]
  for (const [what, error, hint] of cases) {
    it(`hints when ${what}`, () => expect(shown(error).shown.hint).to.equal(hint))
  }

  it('asking for the wrong thing (no project, an ambiguous name) exits 2 like usage', () => {
    expect(shown(new ClientError('cli/no-project', 'no project selected')).exitCode).to.equal(2)
    expect(shown(new ClientError('cli/ambiguous', '2 active keys are named "ci"')).exitCode).to.equal(2)
  })

  it('a CliError keeps its own hint, else takes the table one; server field problems become details', () => {
    expect(shown(new CliError('x', 'mine', 2, 'cli/usage'))).to.deep.equal({ shown: { code: 'cli/usage', message: 'x', hint: 'mine' }, exitCode: 2 })
    expect(shown(new CliError('port 1 on h is already in use.', undefined, 1, 'emulator/port-in-use')).shown.hint).to.include('--port 0')
    const invalid = shown(new ClientError('data/validation-error', 'Validation failed', 400, { fields: [{ field: 'views', rule: 'bsonType', message: 'must be int' }] }))
    expect(invalid.shown).to.deep.equal({ code: 'data/validation-error', message: 'Validation failed (views: must be int)', hint: 'fix the values named above and retry', details: [{ field: 'views', rule: 'bsonType', message: 'must be int' }] })
  })

  it('oclif parse failures are usage errors (exit 2); anything else is cli/error (exit 1) without a stack', () => {
    expect(shown(new Errors.CLIError('Nonexistent flag: --nope\nSee more help with --help'))).to.deep.equal({ shown: { code: 'cli/usage', message: 'Nonexistent flag: --nope', hint: null }, exitCode: 2 })
    expect(shown(new Error('boom'))).to.deep.equal({ shown: { code: 'cli/error', message: 'boom', hint: null }, exitCode: 1 })
  })
})

describe('cli: MCP credentials for a target (mcpAuth)', () => {
  const saved = { token: process.env.BKEND_ACCESS_TOKEN, xdg: process.env.XDG_CONFIG_HOME }
  afterEach(() => {
    for (const [key, value] of [['BKEND_ACCESS_TOKEN', saved.token], ['XDG_CONFIG_HOME', saved.xdg]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  })
  const local = { kind: 'local', target: 'local', restUrl: 'http://127.0.0.1:4100', mcpUrl: 'http://127.0.0.1:4100/mcp', profile: 'default', env: 'dev', sources: { target: 'default', env: 'default' }, runtime: { tenantToken: 'tenant' } } as unknown as TargetContext
  const url = { ...local, kind: 'url', target: 'http://h:1', restUrl: 'http://h:1', mcpUrl: 'http://h:1/mcp', runtime: undefined } as TargetContext

  it('a token on the command line wins; local uses the tenant token even when BKEND_ACCESS_TOKEN is set', async () => {
    process.env.BKEND_ACCESS_TOKEN = 'from-env'
    expect(await mcpAuth(local, 'flag')).to.deep.equal({ method: 'access-token-env', token: 'flag' })
    expect(await mcpAuth(local)).to.deep.equal({ method: 'emulator-tenant-token', token: 'tenant' })
    expect(await mcpAuth(url)).to.deep.equal({ method: 'access-token-env', token: 'from-env' })
  })

  it('a URL target without a token or a stored login is auth/login-required naming the target', async () => {
    delete process.env.BKEND_ACCESS_TOKEN
    process.env.XDG_CONFIG_HOME = '/nonexistent-bkend-config'
    const error = await mcpAuth(url).then(() => undefined, (e: unknown) => e)
    expect(error).to.be.instanceOf(ClientError).and.include({ code: 'auth/login-required', status: 401 })
    expect((error as ClientError).details).to.include({ target: 'http://h:1' })
  })
})
