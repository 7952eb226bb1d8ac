import type { Page } from '../contract/common.js'
import type { EmailTemplate, SenderSettings, SenderUpdate, TemplateCategory, TemplatePreview } from '../contract/email-settings.js'
import type { Management } from './management.js'

/** What `auth templates set` changes; a part left out keeps its current text. */
export interface TemplateChanges {
  subject?: string
  body?: string
}

/**
 * A project's e-mail sender settings and templates through the extension tools of mcp.md §8; a target without
 * them gets a clear "cannot" instead of an unknown-tool error.
 */
export class EmailSettings {
  constructor(private readonly management: Management) {}

  async sender(): Promise<SenderSettings> {
    return this.call('backend_email_settings_get', 'read e-mail sender settings')
  }

  async updateSender(body: SenderUpdate): Promise<SenderSettings> {
    return this.call('backend_email_settings_update', 'change e-mail sender settings', { body })
  }

  async templates(): Promise<EmailTemplate[]> {
    return (await this.call<Page<EmailTemplate>>('backend_email_template_list', 'read e-mail templates')).items
  }

  async template(category: TemplateCategory): Promise<EmailTemplate> {
    return this.call('backend_email_template_get', 'read e-mail templates', { category })
  }

  /** Replaces a template; the tool needs both parts, so the current text fills in the one not given. */
  async setTemplate(category: TemplateCategory, changes: TemplateChanges): Promise<EmailTemplate> {
    const current = changes.subject === undefined || changes.body === undefined ? await this.template(category) : undefined
    const body = { subject: changes.subject ?? current!.subject, body: changes.body ?? current!.body }
    return this.call('backend_email_template_update', 'change e-mail templates', { category, body })
  }

  async resetTemplate(category: TemplateCategory): Promise<EmailTemplate> {
    return this.call('backend_email_template_reset', 'reset e-mail templates', { category })
  }

  async preview(category: TemplateCategory): Promise<TemplatePreview> {
    return this.call('backend_email_template_preview', 'preview e-mail templates', { category })
  }

  private async call<T>(tool: string, what: string, args: Record<string, unknown> = {}): Promise<T> {
    await this.management.mcp.require(tool, what)
    const project = await this.management.getProject()
    return this.management.mcp.call<T>(tool, { projectId: project.id, ...args })
  }
}
