import { Flags } from '@oclif/core'
import { ManagementCommand } from '../../../cli/management-command.js'
import { printSender, senderUpdate } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { SenderSettings } from '../../../contract/email-settings.js'

export type AuthSenderSetResult = SenderSettings

export default class AuthSenderSet extends ManagementCommand {
  static override summary = "Change a project's e-mail sender settings"
  static override description = 'Changes only what you give. --override-defaults makes the auth flows send the custom templates (bkend auth templates set); --no-override-defaults goes back to the built-in ones without deleting the custom ones. "none" clears the logo or the brand colour.'
  static override examples = [
    '<%= config.bin %> auth sender set --name "My Store" --email hello@my-store.com',
    '<%= config.bin %> auth sender set --logo-url https://my-store.com/logo.png --brand-color "#1A73E8" --override-defaults',
    '<%= config.bin %> auth sender set --brand-color none --no-override-defaults --json',
  ]
  static override flags = {
    name: Flags.string({ description: 'sender name (up to 100 characters)' }),
    email: Flags.string({ description: 'sender e-mail address' }),
    'logo-url': Flags.string({ description: 'http(s) URL of the logo in the mail header, or none' }),
    'brand-color': Flags.string({ description: 'brand colour as #RRGGBB, or none' }),
    'override-defaults': Flags.boolean({ description: 'send the custom templates instead of the built-in ones', allowNo: true }),
  }

  async run(): Promise<AuthSenderSetResult> {
    const { flags } = await this.parse(AuthSenderSet)
    const update = senderUpdate(flags)
    const sender = await new EmailSettings(await this.management(flags)).updateSender(update)
    if (!this.jsonEnabled()) printSender(sender)
    return sender
  }
}
