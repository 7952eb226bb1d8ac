import { ManagementCommand } from '../../../cli/management-command.js'
import { categoryArg, printTemplate } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { EmailTemplate, TemplateCategory } from '../../../contract/email-settings.js'

export type AuthTemplatesGetResult = EmailTemplate

export default class AuthTemplatesGet extends ManagementCommand {
  static override summary = 'Show one e-mail template'
  static override description = 'The subject, the variables it receives ({{userName}}, {{verifyLink}}, …) and the HTML body, custom or built-in.'
  static override examples = ['<%= config.bin %> auth templates get magic_link', '<%= config.bin %> auth templates get password_reset --json']
  static override args = categoryArg

  async run(): Promise<AuthTemplatesGetResult> {
    const { args, flags } = await this.parse(AuthTemplatesGet)
    const template = await new EmailSettings(await this.management(flags)).template(args.category as TemplateCategory)
    if (!this.jsonEnabled()) printTemplate(template)
    return template
  }
}
