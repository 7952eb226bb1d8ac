import { ManagementCommand } from '../../../cli/management-command.js'
import { columnsFlag } from '../../../cli/output.js'
import { fieldsFlag } from '../../../cli/fields.js'
import { printTemplates } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { EmailTemplate } from '../../../contract/email-settings.js'

export interface AuthTemplatesListResult {
  templates: EmailTemplate[]
}

export default class AuthTemplatesList extends ManagementCommand {
  static override summary = "List a project's e-mail templates"
  static override description = 'One template per category (signup_confirmation, password_reset, magic_link, email_verification, invitation), each custom or the built-in text, with its subject. Custom templates are sent only when the sender settings override the defaults (bkend auth sender set --override-defaults).'
  static override examples = ['<%= config.bin %> auth templates list', '<%= config.bin %> auth templates list --project my-app --json']
  static override flags = { columns: columnsFlag, fields: fieldsFlag('templates') }

  async run(): Promise<AuthTemplatesListResult> {
    const { flags } = await this.parse(AuthTemplatesList)
    const templates = await new EmailSettings(await this.management(flags)).templates()
    if (!this.jsonEnabled()) await printTemplates(templates, flags.columns)
    return { templates }
  }
}
