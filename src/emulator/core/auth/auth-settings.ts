import type { PasswordPolicy } from './passwords.js'

/** The project-level auth settings user flows consult (console-model.md §7); the project settings implement it. */
export interface AuthSettingsSource {
  passwordPolicy(projectId: string): PasswordPolicy
  emailVerificationRequired(projectId: string): boolean
  /** Whether magic links are on and how many minutes a link lives. */
  magicLink(projectId: string): { enabled: boolean; expirationMinutes: number }
}
