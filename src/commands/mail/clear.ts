import { confirm, yesFlag } from '../../cli/confirm.js'
import { ControlCommand } from '../../cli/control-command.js'

export interface MailClearResult {
  deleted: number
}

export default class MailClear extends ControlCommand {
  static override summary = "Delete every e-mail in the local emulator's mailbox"
  static override description = 'Empties the mailbox of every project and environment (the one-time tokens inside stay valid until used or expired). Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> mail clear', '<%= config.bin %> mail clear --yes --json']
  static override flags = { yes: yesFlag }

  async run(): Promise<MailClearResult> {
    const { flags } = await this.parse(MailClear)
    const controls = await this.controls(flags, 'the mailbox')
    const { total } = (await controls.listMail({ limit: 1 })).pagination
    if (total > 0) {
      await confirm(`Delete all ${total} e-mail${total === 1 ? '' : 's'} in the mailbox?`, flags.yes)
      await controls.clearMail()
    }
    if (!this.jsonEnabled()) this.log(total === 0 ? 'The mailbox is already empty.' : `Deleted ${total} e-mail${total === 1 ? '' : 's'}.`)
    return { deleted: total }
  }
}
