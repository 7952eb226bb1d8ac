import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'
import { AUTH_COLLECTION, AuthConfigs } from './auth-config.js'
import { EMAIL_COLLECTION, EmailTemplates } from './email-templates.js'

/**
 * Project-wide settings shared by a project's environments (console-model.md §7–§8), stored in the control
 * database: authentication configuration (`auth`, also the `AuthSettingsSource` of the user flows) and e-mail
 * settings and templates (`email`).
 */
export class ProjectSettings {
  readonly auth: AuthConfigs
  readonly email: EmailTemplates

  constructor(db: Database, orgs: Organizations, projects: Projects, clock: Clock, origin: () => string) {
    this.auth = new AuthConfigs(db, orgs, projects, clock, origin)
    this.email = new EmailTemplates(db, orgs, projects, clock)
    // Settings go with their project, in the same atomic write (console-model.md §11).
    projects.onDelete((projectId) => [
      { c: AUTH_COLLECTION, d: projectId },
      { c: EMAIL_COLLECTION, d: projectId },
    ])
  }
}

export type { AuthConfigView, ProviderConfig, ProviderView, SocialProvider } from './auth-config.js'
export type { EmailSettings, EmailTemplate, RenderedEmail } from './email-templates.js'
export { TEMPLATE_CATEGORIES, type TemplateCategory } from './template-defaults.js'
