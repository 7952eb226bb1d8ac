import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './passwords.js'

/** The project-level auth settings user flows consult (console-model.md §7). */
export interface AuthSettingsSource {
  passwordPolicy(projectId: string): PasswordPolicy
  emailVerificationRequired(projectId: string): boolean
}

/** The documented defaults, for projects whose settings were never changed. */
export const defaultAuthSettings: AuthSettingsSource = {
  passwordPolicy: () => DEFAULT_PASSWORD_POLICY,
  emailVerificationRequired: () => false,
}
