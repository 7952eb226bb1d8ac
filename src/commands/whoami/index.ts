import { ManagementCommand } from '../../cli/management-command.js'
import { printFields } from '../../cli/output.js'
import { describeAuth, identify, type Identity } from '../../client/identity.js'

export type WhoamiResult = Identity & { target: string; mcpUrl: string; profile: string }

export default class Whoami extends ManagementCommand {
  static override summary = 'Show who the CLI acts as on the target'
  static override description = 'Asks the target which organization the session is bound to, and shows how the CLI authenticates (local tenant token, BKEND_ACCESS_TOKEN, or an OAuth login), the account (its e-mail and id), its role in the organization and the granted scopes. A target whose get_context does not name the e-mail shows the id only.'
  static override examples = ['<%= config.bin %> whoami', '<%= config.bin %> whoami --target cloud --json']

  async run(): Promise<WhoamiResult> {
    const { flags } = await this.parse(Whoami)
    const management = await this.management(flags)
    const identity = await identify(management)
    const context = this.context!
    if (!this.jsonEnabled()) {
      const org = identity.organization
      printFields([
        ['Target', `${context.target} (${context.mcpUrl})`],
        ['Signed in with', describeAuth(identity.authMethod)],
        ['Account', identity.email ? `${identity.email}${identity.tenantId ? ` (${identity.tenantId})` : ''}` : identity.tenantId],
        ['Organization', org ? `${org.name} (${org.slug}, ${org.id})` : 'unknown'],
        ['Role', org?.role],
        ['Scopes', identity.scopes ? `${identity.scopes.length} granted` : null],
        ['Token expires', identity.expiresAt],
      ])
    }
    return { target: context.target, mcpUrl: context.mcpUrl, profile: context.profile, ...identity }
  }
}
