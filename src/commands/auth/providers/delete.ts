import { printProviders } from '../../../cli/auth-render.js'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { providerArg } from '../../../cli/provider-command.js'
import { AuthSettings } from '../../../client/auth-settings.js'
import { SOCIAL_PROVIDERS, type AuthConfig, type SocialProvider } from '../../../contract/auth-settings.js'

export type AuthProvidersDeleteResult = AuthConfig

export default class AuthProvidersDelete extends ManagementCommand {
  static override summary = "Delete Google or GitHub sign-in's configuration"
  static override description = "Removes the provider's client id, secret, scopes and redirect URI (disable keeps them). Sign-in with it then fails with 400 auth/oauth-not-configured until `bkend auth providers set` configures it again. Asks for confirmation on a terminal; without one, pass --yes."
  static override examples = ['<%= config.bin %> auth providers delete github', '<%= config.bin %> auth providers delete google --project my-app --yes --json']
  static override args = providerArg
  static override flags = { yes: yesFlag }

  async run(): Promise<AuthProvidersDeleteResult> {
    const { args, flags } = await this.parse(AuthProvidersDelete)
    const settings = new AuthSettings(await this.management(flags))
    await confirm(`Delete the ${args.provider} sign-in configuration (users can no longer sign in with ${args.provider})?`, flags.yes)
    const config = await settings.deleteProvider(args.provider as SocialProvider)
    if (!this.jsonEnabled()) await printProviders(SOCIAL_PROVIDERS.map((p) => [p, config.oauth[p]]))
    return config
  }
}
