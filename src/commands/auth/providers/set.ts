import { Flags } from '@oclif/core'
import { CliError } from '../../../cli/errors.js'
import { ProviderCommand, providerArg } from '../../../cli/provider-command.js'
import type { ProviderSettings, SocialProvider } from '../../../contract/auth-settings.js'

export default class AuthProvidersSet extends ProviderCommand {
  static override summary = 'Configure Google or GitHub sign-in'
  static override description = [
    'Changes only what you give; the rest keeps its current value (a provider configured for the first time gets the documented redirect URI <api>/v1/auth/<provider>/callback, the default scopes, and enabled).',
    'The client secret is write-only: it is stored, never printed or returned (the Secret column says "set"). Pass --client-secret - to read it from stdin instead of leaving it in your shell history.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> auth providers set google --client-id 123.apps.googleusercontent.com --client-secret - < google-secret.txt',
    '<%= config.bin %> auth providers set github --scope user:email --scope read:user',
    '<%= config.bin %> auth providers set github --redirect-uri https://api.example.com/v1/auth/github/callback --disabled',
  ]

  static override args = providerArg
  static override flags = {
    'client-id': Flags.string({ description: 'OAuth client id' }),
    'client-secret': Flags.string({ description: 'OAuth client secret, or - to read it from stdin (never printed back)', allowStdin: true }),
    'redirect-uri': Flags.string({ description: 'absolute callback URL registered with the provider' }),
    scope: Flags.string({ description: 'a scope to request (repeatable; replaces the current list)', multiple: true, multipleNonGreedy: true }),
    enabled: Flags.boolean({ description: 'turn sign-in with the provider on', exclusive: ['disabled'] }),
    disabled: Flags.boolean({ description: 'turn sign-in with the provider off' }),
  }

  async run(): Promise<ProviderSettings> {
    const { args, flags } = await this.parse(AuthProvidersSet)
    const changes = {
      ...(flags['client-id'] !== undefined ? { clientId: flags['client-id'] } : {}),
      ...(flags['client-secret'] !== undefined ? { clientSecret: flags['client-secret'] } : {}),
      ...(flags['redirect-uri'] !== undefined ? { redirectUri: flags['redirect-uri'] } : {}),
      ...(flags.scope !== undefined ? { scopes: flags.scope } : {}),
      ...(flags.enabled || flags.disabled ? { enabled: flags.enabled === true } : {}),
    }
    if (Object.keys(changes).length === 0) throw new CliError('nothing to change', 'give at least one of --client-id, --client-secret, --redirect-uri, --scope, --enabled, --disabled', 2, 'cli/usage')
    return this.change(flags, args.provider as SocialProvider, changes)
  }
}
