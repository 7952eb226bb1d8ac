import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { categoryArg } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { EmailTemplate, TemplateCategory } from '../../../contract/email-settings.js'

export type AuthTemplatesResetResult = EmailTemplate

export default class AuthTemplatesReset extends ManagementCommand {
  static override summary = 'Return an e-mail template to the built-in text'
  static override description = "Removes the category's custom subject and body for good. A template that is not customised stays as it is. Asks for confirmation on a terminal; without one, pass --yes."
  static override examples = ['<%= config.bin %> auth templates reset magic_link', '<%= config.bin %> auth templates reset invitation --yes --json']
  static override args = categoryArg
  static override flags = { yes: yesFlag }

  async run(): Promise<AuthTemplatesResetResult> {
    const { args, flags } = await this.parse(AuthTemplatesReset)
    const management = await this.management(flags)
    await confirm(`Replace the custom ${args.category} template with the built-in text?`, flags.yes)
    const template = await new EmailSettings(management).resetTemplate(args.category as TemplateCategory)
    if (!this.jsonEnabled()) this.log(`The ${template.category} template is the built-in text: "${template.subject}".`)
    return template
  }
}
