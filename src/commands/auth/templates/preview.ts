import { ManagementCommand } from '../../../cli/management-command.js'
import { categoryArg } from '../../../cli/email-settings.js'
import { printFields } from '../../../cli/output.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { TemplateCategory, TemplatePreview } from '../../../contract/email-settings.js'

export type AuthTemplatesPreviewResult = TemplatePreview

export default class AuthTemplatesPreview extends ManagementCommand {
  static override summary = 'Render an e-mail template with sample values'
  static override description = 'Shows the sender, the subject and the text of the mail as it would look, with sample values in the placeholders (the HTML is in --json). Says when a custom template would not be sent because the sender settings do not override the defaults.'
  static override examples = ['<%= config.bin %> auth templates preview magic_link', '<%= config.bin %> auth templates preview invitation --json']
  static override args = categoryArg

  async run(): Promise<AuthTemplatesPreviewResult> {
    const { args, flags } = await this.parse(AuthTemplatesPreview)
    const preview = await new EmailSettings(await this.management(flags)).preview(args.category as TemplateCategory)
    if (!this.jsonEnabled()) {
      printFields([['From', `${preview.fromName} <${preview.from}>`], ['Subject', preview.subject]])
      process.stdout.write(`\n${preview.text.trimEnd()}\n`)
      if (!preview.sentAsIs) process.stderr.write("Note: this custom template is not sent until 'bkend auth sender set --override-defaults'.\n")
    }
    return preview
  }
}
