import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'
import { AuthConfigs } from './auth-config.js'
import { EmailTemplates } from './email-templates.js'

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
  }
}

export type { AuthConfigView, ProviderConfig, ProviderView, SocialProvider } from './auth-config.js'
export type { EmailSettings, EmailTemplate, RenderedEmail } from './email-templates.js'
export { TEMPLATE_CATEGORIES, type TemplateCategory } from './template-defaults.js'
