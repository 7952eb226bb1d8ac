/** Template categories and the emulator's built-in texts (console-model.md §8, CM-D10). */
import { MAIL_TYPES, type MailType } from '../../../contract/mailbox.js'

/** One template per kind of e-mail the mailbox captures. */
export const TEMPLATE_CATEGORIES = MAIL_TYPES
export type TemplateCategory = MailType

/** The variables each category receives when sent. */
export const TEMPLATE_VARIABLES: Record<TemplateCategory, string[]> = {
  signup_confirmation: ['userName', 'userEmail', 'verifyLink'],
  password_reset: ['userName', 'userEmail', 'resetLink'],
  magic_link: ['userName', 'userEmail', 'magicLink'],
  email_verification: ['userName', 'userEmail', 'verifyLink'],
  invitation: ['userName', 'userEmail', 'inviterName', 'resourceName', 'verifyLink'],
}

/** The variable that holds each category's link. */
export const LINK_VARIABLE: Record<TemplateCategory, string> = {
  signup_confirmation: 'verifyLink',
  password_reset: 'resetLink',
  magic_link: 'magicLink',
  email_verification: 'verifyLink',
  invitation: 'verifyLink',
}

/** The variables holding a link: when the flow has no URL, the raw token is shown in their place. */
export const LINK_VARIABLES = new Set(Object.values(LINK_VARIABLE))

const wrap = (heading: string, text: string, link: string, action: string) =>
  `<h1>${heading}</h1><p>Hello {{userName}},</p><p>${text}</p><p><a href="{{${link}}}">${action}</a></p><p>Or use this link: {{${link}}}</p>`

/** Built-in templates: short, each carrying the link (or token) so the emulator's mailbox is usable offline. */
export const BUILT_IN_TEMPLATES: Record<TemplateCategory, { subject: string; body: string }> = {
  signup_confirmation: { subject: 'Confirm your sign-up', body: wrap('Confirm your e-mail', 'Confirm {{userEmail}} to finish signing up.', 'verifyLink', 'Confirm e-mail') },
  password_reset: { subject: 'Reset your password', body: wrap('Reset your password', 'Someone asked to reset the password of {{userEmail}}. Ignore this mail if it was not you.', 'resetLink', 'Reset password') },
  magic_link: { subject: 'Your sign-in link', body: wrap('Sign in', 'Use this link to sign in as {{userEmail}}.', 'magicLink', 'Sign in') },
  email_verification: { subject: 'Verify your e-mail address', body: wrap('Verify your e-mail', 'Verify that {{userEmail}} belongs to you.', 'verifyLink', 'Verify e-mail') },
  invitation: { subject: '{{inviterName}} invited you to {{resourceName}}', body: wrap('You are invited', '{{inviterName}} invited you ({{userEmail}}) to join {{resourceName}}.', 'verifyLink', 'Accept invitation') },
}

/** Sample values for previews. */
export const SAMPLE_VALUES: Record<string, string> = {
  userName: 'Jane Doe',
  userEmail: 'jane@example.com',
  inviterName: 'Local Developer',
  resourceName: 'My App',
  verifyLink: 'http://127.0.0.1:4100/_emulator/sample/verify?token=sample-token',
  resetLink: 'http://127.0.0.1:4100/_emulator/sample/reset?token=sample-token',
  magicLink: 'http://127.0.0.1:4100/_emulator/sample/magic?token=sample-token',
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/**
 * Replaces `{{name}}` placeholders; unknown or missing variables render empty. Values are HTML-escaped when the
 * target is HTML (the body), so user-controlled names cannot inject markup.
 */
export function renderTemplate(template: string, values: Record<string, string>, html: boolean): string {
  return template.replace(/\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g, (_match, name: string) => {
    const value = values[name] ?? ''
    return html ? escape(value) : value
  })
}

/** Plain-text alternative of a rendered HTML body. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, '$2 ($1)')
    .replace(/<\/(p|h\d|div|li)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
