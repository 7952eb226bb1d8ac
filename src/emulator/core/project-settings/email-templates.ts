import type { EmailTemplate } from '../../../contract/email-settings.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { invalid, notFound } from '../errors.js'
import { onlyKeys, optionalString, requireObject, requireString } from '../input.js'
import type { Actor } from '../tenancy/model.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'
import { BUILT_IN_TEMPLATES, htmlToText, LINK_VARIABLES, renderTemplate, SAMPLE_VALUES, TEMPLATE_CATEGORIES, TEMPLATE_VARIABLES, type TemplateCategory } from './template-defaults.js'

export interface EmailSettings {
  senderEmail: string
  senderName: string
  logoUrl: string | null
  brandColor: string | null
  overrideDefaults: boolean
}

export type { EmailTemplate }

/** A rendered message, ready for the mailbox. */
export interface RenderedEmail {
  from: string
  fromName: string
  subject: string
  html: string
  text: string
}

interface EmailDoc {
  [key: string]: unknown
  id: string
  settings: Partial<EmailSettings>
  templates: Partial<Record<TemplateCategory, { subject: string; body: string; updatedAt: string }>>
  updatedAt: string | null
}

export const EMAIL_COLLECTION = 'projectEmailSettings'
const COLLECTION = EMAIL_COLLECTION
const CODE = 'common/invalid-parameters'
export const DEFAULT_SETTINGS: EmailSettings = { senderEmail: 'noreply@bkend.local', senderName: 'bkend', logoUrl: null, brandColor: null, overrideDefaults: false }

/**
 * Per-project e-mail settings and templates (console-model.md §8). Tenant methods take an Actor; `render` is
 * for the auth flows that send mail: it honours `overrideDefaults` and shows tokens where a link is missing.
 */
export class EmailTemplates {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly projects: Projects,
    private readonly clock: Clock,
  ) {}

  private doc(projectId: string): EmailDoc {
    return this.db.collection<EmailDoc>(COLLECTION).get(projectId) ?? { id: projectId, settings: {}, templates: {}, updatedAt: null }
  }

  settingsOf(projectId: string): EmailSettings {
    return { ...DEFAULT_SETTINGS, ...this.doc(projectId).settings }
  }

  private template(projectId: string, category: TemplateCategory): EmailTemplate {
    const custom = this.doc(projectId).templates[category]
    const source = custom ?? BUILT_IN_TEMPLATES[category]
    return { category, subject: source.subject, body: source.body, isCustom: custom !== undefined, variables: TEMPLATE_VARIABLES[category], updatedAt: custom?.updatedAt ?? null }
  }

  /**
   * Renders the template a project sends for a category. `values` holds the variables; a link variable that is
   * null is replaced by `token` (rest-auth.md §1.6).
   */
  render(projectId: string, category: TemplateCategory, values: Record<string, string | null | undefined>, token?: string): RenderedEmail {
    const settings = this.settingsOf(projectId)
    const stored = this.template(projectId, category)
    const source = stored.isCustom && settings.overrideDefaults ? stored : BUILT_IN_TEMPLATES[category]
    const filled: Record<string, string> = {}
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string') filled[name] = value
      else if (value === null && LINK_VARIABLES.has(name) && token) filled[name] = token
    }
    const html = renderTemplate(source.body, filled, true)
    return { from: settings.senderEmail, fromName: settings.senderName, subject: renderTemplate(source.subject, filled, false), html, text: htmlToText(html) }
  }

  // ── tenant side ──

  getSettings(actor: Actor, projectId: string): EmailSettings & { projectId: string } {
    this.orgs.authorize(actor, 'project:read')
    const id = this.projects.owned(actor, projectId).id
    return { projectId: id, ...this.settingsOf(id) }
  }

  async updateSettings(actor: Actor, projectId: string, input: unknown): Promise<EmailSettings & { projectId: string }> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const body = requireObject('body', input)
    onlyKeys('body', body, ['senderEmail', 'senderName', 'logoUrl', 'brandColor', 'overrideDefaults'])
    const settings = { ...this.doc(id).settings }
    if (body.senderEmail !== undefined) settings.senderEmail = requireString('senderEmail', body.senderEmail, { max: 254, pattern: /^[^\s@]+@[^\s@]+$/ })
    if (body.senderName !== undefined) settings.senderName = requireString('senderName', body.senderName, { max: 100 })
    if (body.logoUrl !== undefined) settings.logoUrl = optionalString('logoUrl', body.logoUrl, { max: 2000, pattern: /^https?:\/\/\S+$/ })
    if (body.brandColor !== undefined) settings.brandColor = optionalString('brandColor', body.brandColor, { pattern: /^#[0-9A-Fa-f]{6}$/ })
    if (body.overrideDefaults !== undefined) {
      if (typeof body.overrideDefaults !== 'boolean') throw invalid(CODE, 'overrideDefaults must be a boolean', [{ field: 'overrideDefaults', rule: 'type', message: 'boolean' }])
      settings.overrideDefaults = body.overrideDefaults
    }
    const doc = this.doc(id)
    await this.db.put(COLLECTION, { ...doc, settings, updatedAt: this.clock.iso() })
    return { projectId: id, ...this.settingsOf(id) }
  }

  list(actor: Actor, projectId: string): EmailTemplate[] {
    this.orgs.authorize(actor, 'project:read')
    const id = this.projects.owned(actor, projectId).id
    return TEMPLATE_CATEGORIES.map((category) => this.template(id, category))
  }

  get(actor: Actor, projectId: string, category: unknown): EmailTemplate {
    this.orgs.authorize(actor, 'project:read')
    return this.template(this.projects.owned(actor, projectId).id, categoryOf(category))
  }

  async update(actor: Actor, projectId: string, category: unknown, input: unknown): Promise<EmailTemplate> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const which = categoryOf(category)
    const body = requireObject('body', input)
    onlyKeys('body', body, ['subject', 'body'])
    const template = { subject: requireString('subject', body.subject, { max: 200 }), body: requireString('body', body.body, { max: 100_000 }), updatedAt: this.clock.iso() }
    const doc = this.doc(id)
    await this.db.put(COLLECTION, { ...doc, templates: { ...doc.templates, [which]: template }, updatedAt: template.updatedAt })
    return this.template(id, which)
  }

  /** Drops a category's custom template, so the built-in text is shown and sent again; idempotent. */
  async reset(actor: Actor, projectId: string, category: unknown): Promise<EmailTemplate> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const which = categoryOf(category)
    const doc = this.doc(id)
    if (doc.templates[which] === undefined) return this.template(id, which)
    const { [which]: _dropped, ...templates } = doc.templates
    await this.db.put(COLLECTION, { ...doc, templates, updatedAt: this.clock.iso() })
    return this.template(id, which)
  }

  /** Renders the stored template (custom or built-in) with sample values. */
  preview(actor: Actor, projectId: string, category: unknown, locale: string | undefined) {
    const template = this.get(actor, projectId, category)
    const settings = this.settingsOf(projectId)
    const html = renderTemplate(template.body, SAMPLE_VALUES, true)
    return {
      category: template.category,
      locale: locale ?? 'en',
      isCustom: template.isCustom,
      sentAsIs: !template.isCustom || settings.overrideDefaults,
      from: settings.senderEmail,
      fromName: settings.senderName,
      subject: renderTemplate(template.subject, SAMPLE_VALUES, false),
      html,
      text: htmlToText(html),
      sampleValues: Object.fromEntries(template.variables.map((name) => [name, SAMPLE_VALUES[name] ?? ''])),
    }
  }
}

function categoryOf(value: unknown): TemplateCategory {
  if (typeof value === 'string' && (TEMPLATE_CATEGORIES as readonly string[]).includes(value)) return value as TemplateCategory
  throw notFound('auth/template-not-found', `Unknown template category ${JSON.stringify(value)}; categories: ${TEMPLATE_CATEGORIES.join(', ')}`)
}
