import { Args } from '@oclif/core'
import { printAuthConfig } from '../../../cli/auth-render.js'
import { authSettingFlags, mergeUpdates, updateFromFlags, updateFromPairs } from '../../../cli/auth-settings.js'
import { CliError } from '../../../cli/errors.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { AuthSettings } from '../../../client/auth-settings.js'
import type { AuthConfig } from '../../../contract/auth-settings.js'

export type AuthConfigSetResult = AuthConfig

export default class AuthConfigSet extends ManagementCommand {
  static override summary = "Change a project's end-user authentication settings"
  static override description = [
    'Give settings as key=value pairs (the keys `bkend auth config get` prints) or as flags; only what you give changes. Keys: minLength, maxLength, requireUppercase, requireLowercase, requireNumbers, requireSpecialChars, rejectCommonPasswords, expirationDays (a number or none), magicLinkEnabled, magicLinkExpirationMinutes, emailVerificationRequired. Booleans take true/false (also yes/no, on/off).',
    'The settings apply to every environment of the project at once. Prints the settings as they are afterwards.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> auth config set minLength=8 requireNumbers=true',
    '<%= config.bin %> auth config set --min-length 10 --require-special-chars --no-magic-link',
    '<%= config.bin %> auth config set emailVerificationRequired=true magicLinkExpirationMinutes=30 --json',
  ]

  static override strict = false
  static override args = { settings: Args.string({ description: 'key=value pairs, e.g. minLength=8' }) }
  static override flags = authSettingFlags()

  async run(): Promise<AuthConfigSetResult> {
    const { argv, flags } = await this.parse(AuthConfigSet)
    const update = mergeUpdates(updateFromPairs(argv as string[]), updateFromFlags(flags))
    if (Object.keys(update).length === 0) throw new CliError('nothing to change', 'give key=value pairs (e.g. minLength=8) or flags; see --help', 2, 'cli/usage')
    const config = await new AuthSettings(await this.management(flags)).update(update)
    if (!this.jsonEnabled()) printAuthConfig(config)
    return config
  }
}
