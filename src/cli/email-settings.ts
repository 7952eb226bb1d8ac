import { readFile } from 'node:fs/promises'
import { text } from 'node:stream/consumers'
import { Args } from '@oclif/core'
import { TEMPLATE_CATEGORIES, type EmailTemplate, type SenderSettings, type SenderUpdate } from '../contract/email-settings.js'
import { CliError } from './errors.js'
import { printFields, printTable, type Column } from './output.js'

export const categoryArg = { category: Args.string({ description: 'template category', options: [...TEMPLATE_CATEGORIES], required: true }) }

/** The flags of `auth sender set`, as oclif typed them. */
export interface SenderFlags {
  name?: string
  email?: string
  'logo-url'?: string
  'brand-color'?: string
  'override-defaults'?: boolean
}

const COLOUR = /^#[0-9A-Fa-f]{6}$/

/**
 * The update body for `auth sender set`. "none" clears the logo or colour. A colour that is not #RRGGBB is refused
 * here, before anything is sent, with the form it takes; the rest is the server's to check.
 */
export function senderUpdate(flags: SenderFlags): SenderUpdate {
  const update: SenderUpdate = {}
  if (flags.name !== undefined) update.senderName = flags.name
  if (flags.email !== undefined) update.senderEmail = flags.email
  if (flags['logo-url'] !== undefined) update.logoUrl = orNull(flags['logo-url'])
  if (flags['brand-color'] !== undefined) {
    const colour = orNull(flags['brand-color'])
    if (colour !== null && !COLOUR.test(colour)) throw usage(`--brand-color must be a hex colour #RRGGBB, not "${colour}"`, 'e.g. --brand-color "#1A73E8", or --brand-color none to clear it')
    update.brandColor = colour
  }
  if (flags['override-defaults'] !== undefined) update.overrideDefaults = flags['override-defaults']
  if (Object.keys(update).length === 0) throw usage('nothing to change', 'give at least one of --name, --email, --logo-url, --brand-color, --override-defaults, --no-override-defaults')
  return update
}

/** A template body from --body, or --body-file (a path, or - for standard input). */
export async function templateBody(body: string | undefined, bodyFile: string | undefined): Promise<string | undefined> {
  if (bodyFile === undefined) return body
  if (bodyFile !== '-') {
    return readFile(bodyFile, 'utf8').catch(() => {
      throw usage(`cannot read ${bodyFile}`, 'pass a path to an HTML file, or - to read the body from standard input')
    })
  }
  if (process.stdin.isTTY) throw usage('standard input is a terminal, not a template body', 'pipe the HTML in: bkend auth templates set magic_link --body-file - < magic-link.html')
  const input = await text(process.stdin)
  if (!input.trim()) throw usage('standard input was empty', 'pipe the HTML in: bkend auth templates set magic_link --body-file - < magic-link.html')
  return input
}

export function printSender(sender: SenderSettings): void {
  printFields([
    ['Sender name', sender.senderName],
    ['Sender e-mail', sender.senderEmail],
    ['Logo URL', sender.logoUrl ?? 'none'],
    ['Brand colour', sender.brandColor ?? 'none'],
    ['Override defaults', sender.overrideDefaults ? 'yes: custom templates are sent' : 'no: the built-in templates are sent'],
  ])
}

export function printTemplates(templates: EmailTemplate[], wanted?: string): Promise<void> {
  const rows = templates.map((t) => ({ category: t.category, custom: t.isCustom ? 'custom' : 'built-in', subject: t.subject, updatedAt: t.updatedAt }))
  return printTable(
    [{ key: 'category', header: 'Category', identity: true }, { key: 'custom', header: 'Text' }, { key: 'subject', header: 'Subject' }, { key: 'updatedAt', header: 'Updated' }] satisfies Column[],
    rows,
    wanted,
  )
}

/** One template: its fields, then the body as it is stored. */
export function printTemplate(template: EmailTemplate): void {
  printFields([
    ['Category', template.category],
    ['Text', template.isCustom ? 'custom' : 'built-in'],
    ['Subject', template.subject],
    ['Variables', template.variables.map((v) => `{{${v}}}`).join(' ')],
    ['Updated', template.updatedAt ?? 'never'],
  ])
  process.stdout.write(`\n${template.body.endsWith('\n') ? template.body : `${template.body}\n`}`)
}

function orNull(value: string): string | null {
  return value.toLowerCase() === 'none' ? null : value
}

function usage(message: string, hint: string): CliError {
  return new CliError(message, hint, 2, 'cli/usage')
}
