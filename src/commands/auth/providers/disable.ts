import { ProviderCommand, providerArg } from '../../../cli/provider-command.js'
import type { ProviderSettings, SocialProvider } from '../../../contract/auth-settings.js'

export default class AuthProvidersDisable extends ProviderCommand {
  static override summary = 'Turn off sign-in with Google or GitHub'
  static override description = "Keeps the provider's configuration; sign-in with it then fails with auth/oauth-not-configured until it is enabled again."
  static override examples = ['<%= config.bin %> auth providers disable github', '<%= config.bin %> auth providers disable google --project my-app --json']
  static override args = providerArg

  async run(): Promise<ProviderSettings> {
    const { args, flags } = await this.parse(AuthProvidersDisable)
    return this.change(flags, args.provider as SocialProvider, { enabled: false })
  }
}
