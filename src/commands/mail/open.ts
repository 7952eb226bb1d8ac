import { Args, Flags } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { CliError } from '../../cli/errors.js'
import { printFields } from '../../cli/output.js'
import { MAIL_TYPES, type MailboxMessage, type MailType } from '../../contract/mailbox.js'

export type MailOpenResult = MailboxMessage & { opened: boolean }

export default class MailOpen extends ControlCommand {
  static override summary = 'Show a captured e-mail and open its link'
  static override description = [
    'Prints the e-mail (from, to, subject, type, link, token, received, then the text body) and opens its link in the default browser, as clicking it in a mail client would: a sign-up confirmation link confirms the address, a magic link goes to your app with the token.',
    'Name a message by id (bkend mail list shows them), or take the newest with --latest, optionally the newest to an address or of a kind. Nothing is opened with --no-open, with --json, or when no terminal is attached; e-mails without a link (a reset requested without callbackUrl) only print their token.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> mail open --latest',
    '<%= config.bin %> mail open --latest --to ada@example.com --type magic_link',
    '<%= config.bin %> mail open 6650c1e2a4b5c6d7e8f90123 --no-open',
    '<%= config.bin %> mail open --latest --type password_reset --json',
  ]

  static override args = { id: Args.string({ description: 'id of the message (omit with --latest)' }) }
  static override flags = {
    latest: Flags.boolean({ description: 'the newest message (of --to and --type, when given)' }),
    to: Flags.string({ description: 'with --latest: the newest e-mail to this address', dependsOn: ['latest'] }),
    type: Flags.string({ description: 'with --latest: the newest e-mail of this kind', options: [...MAIL_TYPES], dependsOn: ['latest'] }),
    open: Flags.boolean({ description: 'open the link in the browser (--no-open only prints)', default: true, allowNo: true }),
  }

  async run(): Promise<MailOpenResult> {
    const { args, flags } = await this.parse(MailOpen)
    if ((args.id === undefined) === !flags.latest) throw new CliError('name one message: an id, or --latest', 'e.g. bkend mail open --latest, or an id from bkend mail list', 2, 'cli/usage')
    const controls = await this.controls(flags, 'the mailbox')
    let message: MailboxMessage
    if (args.id !== undefined) message = await controls.getMail(args.id)
    else {
      const newest = (await controls.listMail({ to: flags.to, type: flags.type as MailType | undefined, limit: 1 })).items[0]
      const which = [flags.type, flags.to && `to ${flags.to}`].filter(Boolean).join(' ')
      if (!newest) throw new CliError(`the mailbox has no e-mail${which ? ` (${which})` : ''}`, 'run the flow that sends it first; bkend mail list shows what arrived', 1, 'mail/empty')
      message = newest
    }
    const opened = flags.open && !this.jsonEnabled() && process.stdout.isTTY === true && message.link !== null
    if (!this.jsonEnabled()) {
      printFields([['From', message.from], ['To', message.to], ['Subject', message.subject], ['Type', message.type], ['Link', message.link ?? 'none'], ['Token', message.token], ['Received', message.createdAt], ['Id', message.id]])
      this.log(`\n${message.text.trimEnd()}`)
    }
    if (opened) {
      process.stderr.write(`Opening the link in your browser…\n`)
      const { default: open } = await import('open')
      await open(message.link!).catch(() => process.stderr.write('Could not start a browser; open the link above yourself.\n'))
    }
    return { ...message, opened }
  }
}
