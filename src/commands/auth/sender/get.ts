import { ManagementCommand } from '../../../cli/management-command.js'
import { printSender } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { SenderSettings } from '../../../contract/email-settings.js'

export type AuthSenderGetResult = SenderSettings

export default class AuthSenderGet extends ManagementCommand {
  static override summary = "Show a project's e-mail sender settings"
  static override description = 'The sender name and address of the mail the auth flows send (the mailbox shows them as from), the logo and brand colour, and whether custom templates override the built-in ones.'
  static override examples = ['<%= config.bin %> auth sender get', '<%= config.bin %> auth sender get --project my-app --json']

  async run(): Promise<AuthSenderGetResult> {
    const { flags } = await this.parse(AuthSenderGet)
    const sender = await new EmailSettings(await this.management(flags)).sender()
    if (!this.jsonEnabled()) printSender(sender)
    return sender
  }
}
