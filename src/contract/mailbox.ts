/** The emulator mailbox (spec README "Emulator-only endpoints"): captured e-mails, shared by the CLI and the emulator. */

export const MAILBOX_PATH = '/_emulator/mailbox'

/** Every kind of e-mail a flow captures; also the template categories of console-model.md §8. */
export const MAIL_TYPES = ['signup_confirmation', 'password_reset', 'magic_link', 'email_verification', 'invitation'] as const
export type MailType = (typeof MAIL_TYPES)[number]

/** One captured e-mail, as `GET /_emulator/mailbox` and `GET /_emulator/mailbox/:id` return it. */
export interface MailboxMessage {
  id: string
  /** Null for e-mail to a tenant (console sign-in, organization invitations), which belongs to no project. */
  projectId: string | null
  environmentId: string | null
  type: MailType
  to: string
  /** The project's sender address (`senderEmail`). */
  from: string
  subject: string
  html: string
  text: string
  /** The raw one-time token the e-mail carries. */
  token: string
  /** The clickable URL, or null when the flow had no URL to build. */
  link: string | null
  createdAt: string
}

/** Query of `GET /_emulator/mailbox`; every filter is optional, newest first. */
export interface MailboxQuery {
  to?: string
  type?: MailType
  projectId?: string
  environmentId?: string
  page?: number
  limit?: number
}

/** Body of both `DELETE /_emulator/mailbox` and `DELETE /_emulator/mailbox/:id`. */
export interface MailboxDeleteResponse {
  success: true
}
