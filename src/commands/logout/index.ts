import { BaseCommand } from '../../cli/base-command.js'
import { credentialStore } from '../../cli/config.js'
import { resolveTargetContext, targetFlags } from '../../cli/target.js'
import { logout } from '../../client/logout.js'

export interface LogoutResult {
  target: string
  mcpUrl: string
  profile: string
  wasLoggedIn: boolean
  revoked: boolean
}

export default class Logout extends BaseCommand {
  static override summary = 'Log out of a bkend MCP server'
  static override description = 'Revokes the stored refresh token at the server (when it offers revocation) and removes the login from the credentials file. For the local emulator that ends a `bkend login --target local`: commands go back to the tenant token of its runtime.json.'
  static override examples = ['<%= config.bin %> logout --target cloud', '<%= config.bin %> logout --target http://127.0.0.1:4100 --json']
  static override enableJsonFlag = true
  static override baseFlags = targetFlags

  async run(): Promise<LogoutResult> {
    const { flags } = await this.parse(Logout)
    const context = await resolveTargetContext(flags)
    const base = { target: context.target, mcpUrl: context.mcpUrl, profile: context.profile }
    const outcome = await logout({ store: credentialStore, profile: context.profile, mcpUrl: context.mcpUrl, target: context.target })
    if (!this.jsonEnabled()) {
      if (!outcome.wasLoggedIn && context.kind === 'local') this.log(`Not logged in to the local emulator: commands use the tenant token of its runtime.json.`)
      else if (!outcome.wasLoggedIn) this.log(`Not logged in to ${context.mcpUrl}.`)
      else this.log(`Logged out of ${context.mcpUrl}${outcome.revoked ? '' : ' (the server could not confirm revoking the token; it expires on its own)'}.`)
    }
    return { ...base, ...outcome }
  }
}
