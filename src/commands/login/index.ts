import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { credentialStore } from '../../cli/config.js'
import { openMcp } from '../../cli/connect.js'
import { resolveTargetContext, targetFlags } from '../../cli/target.js'
import { identify, type Identity } from '../../client/identity.js'
import { login } from '../../client/login.js'
import { Management } from '../../client/management.js'

export interface LoginResult {
  target: string
  mcpUrl: string
  profile: string
  loggedIn: boolean
  identity: Identity
}

export default class Login extends BaseCommand {
  static override summary = 'Log in to a bkend MCP server with OAuth (browser sign-in)'
  static override description = [
    'Runs OAuth 2.1 with PKCE against the target: the CLI registers itself, opens the consent page in your browser, and receives the answer on a loopback address (127.0.0.1, a random port). Tokens are stored in the credentials file (mode 0600) per profile and server, and refreshed automatically when they expire.',
    'With --no-browser the URL is printed (on stderr) instead: open it anywhere that can reach this machine’s loopback callback.',
    'The local emulator needs no login: without one the CLI uses the tenant token from its runtime.json (the first tenant, owner of `local`). `bkend login --target local` logs in as a tenant of your choice through the emulator’s consent page (which asks you to sign in when it has several tenants), so commands act with that tenant’s role; `bkend logout --target local` returns to the runtime.json token. In CI, set BKEND_ACCESS_TOKEN instead of logging in.',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> login --target cloud', '<%= config.bin %> login --target local', '<%= config.bin %> login --target http://127.0.0.1:4100 --no-browser', '<%= config.bin %> login --target cloud --profile work']
  static override enableJsonFlag = true
  static override baseFlags = targetFlags
  static override flags = {
    browser: Flags.boolean({ description: 'open the consent page in the default browser (--no-browser prints the URL)', default: true, allowNo: true }),
    timeout: Flags.integer({ description: 'seconds to wait for the browser to come back', default: 300, min: 1 }),
  }

  async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login)
    const context = await resolveTargetContext(flags)
    await login({
      store: credentialStore,
      profile: context.profile,
      mcpUrl: context.mcpUrl,
      target: context.target,
      timeoutMs: flags.timeout * 1000,
      present: async (url) => {
        if (flags.browser) {
          process.stderr.write(`Opening ${url.origin} in your browser to sign in…\nIf nothing opens, visit:\n${url.href}\n`)
          const { default: open } = await import('open')
          await open(url.href).catch(() => undefined)
        } else process.stderr.write(`Open this URL in a browser to sign in:\n${url.href}\n`)
      },
    })
    const connection = await openMcp(context, this.config.version)
    try {
      const identity = await identify(new Management(connection))
      if (!this.jsonEnabled()) this.log(`Logged in to ${context.mcpUrl}${identity.organization ? ` (organization ${identity.organization.name})` : ''}.`)
      return { target: context.target, mcpUrl: context.mcpUrl, profile: context.profile, loggedIn: true, identity }
    } finally {
      await connection.close()
    }
  }
}
