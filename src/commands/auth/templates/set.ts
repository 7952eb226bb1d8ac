import { Flags } from '@oclif/core'
import { CliError } from '../../../cli/errors.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import { categoryArg, printTemplate, templateBody } from '../../../cli/email-settings.js'
import { EmailSettings } from '../../../client/email-settings.js'
import type { EmailTemplate, TemplateCategory } from '../../../contract/email-settings.js'

export type AuthTemplatesSetResult = EmailTemplate

export default class AuthTemplatesSet extends ManagementCommand {
  static override summary = 'Customise an e-mail template'
  static override description = [
    'Stores a custom subject and HTML body for one category; what you leave out keeps its current text. Placeholders such as {{userName}}, {{userEmail}} and the category\'s link ({{magicLink}}, {{resetLink}}, {{verifyLink}}) are filled when the mail is sent; `bkend auth templates get <category>` lists them.',
    'Custom templates are sent only while the sender settings override the defaults: turn that on with `bkend auth sender set --override-defaults`. `bkend auth templates reset` returns a category to the built-in text.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> auth templates set magic_link --subject "Your sign-in link" --body-file ./mail/magic-link.html',
    '<%= config.bin %> auth templates set password_reset --subject "Reset your {{userEmail}} password"',
    'cat invite.html | <%= config.bin %> auth templates set invitation --body-file -',
  ]
  static override args = categoryArg
  static override flags = {
    subject: Flags.string({ description: 'subject line (up to 200 characters; may use placeholders)' }),
    body: Flags.string({ description: 'HTML body', exclusive: ['body-file'] }),
    'body-file': Flags.string({ description: 'read the HTML body from this file, or - for standard input' }),
  }

  async run(): Promise<AuthTemplatesSetResult> {
    const { args, flags } = await this.parse(AuthTemplatesSet)
    const body = await templateBody(flags.body, flags['body-file'])
    if (flags.subject === undefined && body === undefined) throw new CliError('nothing to change', 'give --subject, --body or --body-file', 2, 'cli/usage')
    const template = await new EmailSettings(await this.management(flags)).setTemplate(args.category as TemplateCategory, { subject: flags.subject, body })
    if (!this.jsonEnabled()) printTemplate(template)
    return template
  }
}
