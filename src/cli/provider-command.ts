import { Args } from '@oclif/core'
import { AuthSettings, type ProviderChanges } from '../client/auth-settings.js'
import { SOCIAL_PROVIDERS, type ProviderSettings, type SocialProvider } from '../contract/auth-settings.js'
import { printProviders } from './auth-render.js'
import { ManagementCommand } from './management-command.js'
import type { TargetFlagValues } from './target.js'

export const providerArg = { provider: Args.string({ description: 'the provider', options: [...SOCIAL_PROVIDERS], required: true }) }

/** Base of `auth providers enable|disable|set`: apply changes to one provider, print or return its new settings. */
export abstract class ProviderCommand extends ManagementCommand {
  protected async change(flags: TargetFlagValues, provider: SocialProvider, changes: ProviderChanges): Promise<ProviderSettings> {
    const settings = await new AuthSettings(await this.management(flags)).setProvider(provider, changes)
    if (!this.jsonEnabled()) await printProviders([[provider, settings]])
    return settings
  }
}
