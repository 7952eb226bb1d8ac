import { Flags } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { columnsFlag, pageLine } from '../../cli/output.js'
import { printMail } from '../../cli/render.js'
import type { Page } from '../../contract/common.js'
import { MAIL_TYPES, type MailboxMessage, type MailType } from '../../contract/mailbox.js'
import { fieldsFlag } from '../../cli/fields.js'

export type MailListResult = Page<MailboxMessage>

export default class MailList extends ControlCommand {
  static override summary = 'List the e-mails the local emulator captured'
  static override description = 'bkend dev never sends e-mail: sign-up confirmations, magic links, password resets, verifications and invitations land in its mailbox, newest first, each with its one-time token and link. The mailbox spans every project and environment of the emulator.'
  static override examples = [
    '<%= config.bin %> mail list',
    '<%= config.bin %> mail list --to ada@example.com --type signup_confirmation',
    '<%= config.bin %> mail list --limit 1 --json',
  ]

  static override flags = {
    to: Flags.string({ description: 'only e-mails to this address' }),
    type: Flags.string({ description: 'only e-mails of this kind', options: [...MAIL_TYPES] }),
    page: Flags.integer({ description: 'page number', min: 1, default: 1 }),
    limit: Flags.integer({ description: 'e-mails per page (1–100)', min: 1, max: 100, default: 20 }),
    columns: columnsFlag,
    fields: fieldsFlag('items'),
  }

  async run(): Promise<MailListResult> {
    const { flags } = await this.parse(MailList)
    const controls = await this.controls(flags, 'the mailbox')
    const result = await controls.listMail({ to: flags.to, type: flags.type as MailType | undefined, page: flags.page, limit: flags.limit })
    if (!this.jsonEnabled()) {
      await printMail(result.items, flags.columns)
      this.log(pageLine(result.pagination, 'e-mail'))
    }
    return result
  }
}
