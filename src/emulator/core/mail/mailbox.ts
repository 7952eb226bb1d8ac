import type { Page } from '../../../contract/common.js'
import { MAIL_TYPES, type MailType, type MailboxMessage } from '../../../contract/mailbox.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { invalid, notFound } from '../errors.js'
import { queryText } from '../input.js'
import { isId, newId } from '../ids.js'
import { pageOf, pageParams } from '../paging.js'
import { DEFAULT_SETTINGS, type EmailTemplates } from '../project-settings/email-templates.js'
import { BUILT_IN_TEMPLATES, htmlToText, LINK_VARIABLE, renderTemplate } from '../project-settings/template-defaults.js'
import type { Projects } from '../tenancy/projects.js'

/** What a flow hands to the mailbox; the mailbox renders subject and body from the project's template. */
export interface MailInput {
  projectId: string
  environmentId: string
  type: MailType
  to: string
  /** The raw one-time token the e-mail carries. */
  token: string
  /** The clickable URL, or null (the template then shows the token in the link's place). */
  link: string | null
  /** Further template variables (`userName`, `inviterName`, `resourceName`); `userEmail` is `to`, the link is `link`. */
  values?: Record<string, string | null | undefined>
}

type MessageDoc = MailboxMessage & { [key: string]: unknown }

const COLLECTION = 'mailbox'

/**
 * The emulator's mailbox: every e-mail a flow would send is captured here instead, rendered from the project's
 * templates, with its raw token and link (spec README, rest-auth.md §1.6). Stored in the control database so one
 * list spans every project and environment; a project's messages go with the project.
 */
export class Mailbox {
  constructor(
    private readonly db: Database,
    private readonly templates: EmailTemplates,
    private readonly clock: Clock,
    projects: Projects,
  ) {
    projects.onDelete((projectId) => this.messages().filter((m) => m.projectId === projectId).map((m) => ({ c: COLLECTION, d: m.id })))
  }

  private messages(): MessageDoc[] {
    return [...this.db.collection<MessageDoc>(COLLECTION).values()]
  }

  /** Renders and stores one e-mail; resolves once it is durable. */
  async capture(input: MailInput): Promise<MailboxMessage> {
    const values = { ...input.values, userEmail: input.to, [LINK_VARIABLE[input.type]]: input.link }
    const rendered = this.templates.render(input.projectId, input.type, values, input.token)
    const message: MessageDoc = {
      id: newId(this.clock.nowMs()),
      projectId: input.projectId,
      environmentId: input.environmentId,
      type: input.type,
      to: input.to,
      from: rendered.from,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      token: input.token,
      link: input.link,
      createdAt: this.clock.iso(),
    }
    await this.db.put(COLLECTION, message)
    return message
  }

  /**
   * Captures an e-mail to a tenant (console sign-in, organization invitations): it belongs to no project, so it
   * is rendered from the built-in template with the default sender and carries no project or environment.
   */
  async captureConsole(input: Omit<MailInput, 'projectId' | 'environmentId' | 'link'> & { link: string }): Promise<MailboxMessage> {
    const values: Record<string, string> = { userEmail: input.to, [LINK_VARIABLE[input.type]]: input.link }
    for (const [name, value] of Object.entries(input.values ?? {})) if (typeof value === 'string') values[name] = value
    const template = BUILT_IN_TEMPLATES[input.type]
    const html = renderTemplate(template.body, values, true)
    const message: MessageDoc = {
      id: newId(this.clock.nowMs()),
      projectId: null,
      environmentId: null,
      type: input.type,
      to: input.to,
      from: DEFAULT_SETTINGS.senderEmail,
      subject: renderTemplate(template.subject, values, false),
      html,
      text: htmlToText(html),
      token: input.token,
      link: input.link,
      createdAt: this.clock.iso(),
    }
    await this.db.put(COLLECTION, message)
    return message
  }

  /** Newest first, filtered by `to`, `type`, `projectId`, `environmentId`. */
  list(query: Record<string, unknown>): Page<MailboxMessage> {
    const { page, limit } = pageParams(query, 20)
    const filters: Array<(m: MailboxMessage) => boolean> = []
    const to = queryText(query, 'to')
    if (to !== undefined) filters.push((m) => m.to === to.trim().toLowerCase())
    const type = queryText(query, 'type')
    if (type !== undefined) {
      if (!(MAIL_TYPES as readonly string[]).includes(type)) throw invalid('common/invalid-parameters', `type must be one of ${MAIL_TYPES.join(', ')}`)
      filters.push((m) => m.type === type)
    }
    const projectId = queryText(query, 'projectId')
    if (projectId !== undefined) filters.push((m) => m.projectId === projectId)
    const environmentId = queryText(query, 'environmentId')
    if (environmentId !== undefined) filters.push((m) => m.environmentId === environmentId)
    // note: newest first by capture order (collections keep insertion order across restarts), not by timestamp,
    // so a shifted clock cannot reorder the list.
    const matching = this.messages().filter((m) => filters.every((f) => f(m))).reverse()
    return pageOf(matching, page, limit)
  }

  get(id: string): MailboxMessage {
    const message = isId(id) ? this.db.collection<MessageDoc>(COLLECTION).get(id) : undefined
    if (!message) throw notFound('common/not-found', `Mailbox message ${id} not found`)
    return message
  }

  async clear(): Promise<void> {
    await this.db.commit([{ c: COLLECTION, x: 1 }])
  }

  async remove(id: string): Promise<void> {
    this.get(id)
    await this.db.delete(COLLECTION, id)
  }
}
