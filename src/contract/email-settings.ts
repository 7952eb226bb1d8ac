import { MAIL_TYPES, type MailType } from './mailbox.js'

/** The e-mail template categories of console-model.md §8: one template per kind of mail the auth flows send. */
export const TEMPLATE_CATEGORIES = MAIL_TYPES
export type TemplateCategory = MailType

/** A project's sender settings (`backend_email_settings_get`). */
export interface SenderSettings {
  projectId: string
  senderEmail: string
  senderName: string
  logoUrl: string | null
  brandColor: string | null
  /** When false the built-in templates are sent even where custom ones are stored. */
  overrideDefaults: boolean
}

export type SenderUpdate = Partial<Omit<SenderSettings, 'projectId'>>

/** One category's template: the custom one, or the built-in text when `isCustom` is false. */
export interface EmailTemplate {
  category: TemplateCategory
  subject: string
  body: string
  isCustom: boolean
  variables: string[]
  updatedAt: string | null
}

/** `backend_email_template_preview`: a template rendered with sample values. */
export interface TemplatePreview {
  category: TemplateCategory
  isCustom: boolean
  /** Whether mail is sent with this template now (false: custom, but overrideDefaults is off). */
  sentAsIs: boolean
  from: string
  fromName: string
  subject: string
  html: string
  text: string
  sampleValues: Record<string, string>
}
