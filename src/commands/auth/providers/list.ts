import { printProviders } from '../../../cli/auth-render.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { columnsFlag } from '../../../cli/output.js'
import { AuthSettings } from '../../../client/auth-settings.js'
import { SOCIAL_PROVIDERS, type ProviderSettings, type SocialProvider } from '../../../contract/auth-settings.js'
import { fieldsFlag } from '../../../cli/fields.js'

/** Every supported provider; `settings` is null when it is not configured. */
export interface AuthProvidersListResult {
  providers: Array<{ provider: SocialProvider; settings: ProviderSettings | null }>
}

export default class AuthProvidersList extends ManagementCommand {
  static override summary = 'List the social sign-in providers of a project'
  static override description = 'Google and GitHub, each enabled, disabled or not configured, with client id, scopes and redirect URI. Client secrets are never shown: the Secret column (hasClientSecret in JSON) says whether one is stored. The local emulator enables both by default and signs in through its own fake identity provider, so no OAuth app is needed.'
  static override examples = ['<%= config.bin %> auth providers list', '<%= config.bin %> auth providers list --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('providers') }

  async run(): Promise<AuthProvidersListResult> {
    const { flags } = await this.parse(AuthProvidersList)
    const config = await new AuthSettings(await this.management(flags)).get()
    const providers = SOCIAL_PROVIDERS.map((provider) => ({ provider, settings: config.oauth[provider] }))
    if (!this.jsonEnabled()) await printProviders(providers.map((p) => [p.provider, p.settings]), flags.columns)
    return { providers }
  }
}
