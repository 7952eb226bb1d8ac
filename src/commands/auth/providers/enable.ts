import { ProviderCommand, providerArg } from '../../../cli/provider-command.js'
import type { ProviderSettings, SocialProvider } from '../../../contract/auth-settings.js'

export default class AuthProvidersEnable extends ProviderCommand {
  static override summary = 'Turn on sign-in with Google or GitHub'
  static override description = "Keeps the provider's client id, secret, scopes and redirect URI; only switches it on."
  static override examples = ['<%= config.bin %> auth providers enable github', '<%= config.bin %> auth providers enable google --project my-app --json']
  static override args = providerArg

  async run(): Promise<ProviderSettings> {
    const { args, flags } = await this.parse(AuthProvidersEnable)
    return this.change(flags, args.provider as SocialProvider, { enabled: true })
  }
}
