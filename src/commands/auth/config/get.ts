import { printAuthConfig } from '../../../cli/auth-render.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { AuthSettings } from '../../../client/auth-settings.js'
import type { AuthConfig } from '../../../contract/auth-settings.js'

export type AuthConfigGetResult = AuthConfig

export default class AuthConfigGet extends ManagementCommand {
  static override summary = "Show a project's end-user authentication settings"
  static override description = 'Password policy, magic links, e-mail verification and the Google/GitHub providers of the selected project (shared by all its environments). Client secrets are never shown. The keys printed are the ones `bkend auth config set` takes.'
  static override examples = ['<%= config.bin %> auth config get', '<%= config.bin %> auth config get --project my-app --json']

  async run(): Promise<AuthConfigGetResult> {
    const { flags } = await this.parse(AuthConfigGet)
    const config = await new AuthSettings(await this.management(flags)).get()
    if (!this.jsonEnabled()) printAuthConfig(config)
    return config
  }
}
