import { all } from '../resources.js'
import { bool, int, obj, optionalParam, param, str, strings, type ToolDef } from '../tool.js'

const projectId = { projectId: str('project id (24 hex)') }
const provider = { provider: str('social provider', { enum: ['google', 'github'] }) }
// note: no enum here, so an unknown category reaches core and is NOT_FOUND (mcp.md §8), not VALIDATION_ERROR.
const category = { category: str('template category: signup_confirmation, password_reset, magic_link, email_verification or invitation') }

/** (extension, inferred) Project authentication and e-mail settings, shared by the project's environments. */
export const projectSettingsTools: ToolDef[] = [
  {
    name: 'backend_auth_config_get',
    description: '(extension) Get the project auth configuration: password policy, magic links, e-mail verification, Google/GitHub providers (client secrets are never returned).',
    scope: 'project:read',
    params: projectId,
    required: ['projectId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.projectSettings.auth.get(actor, param(args, 'projectId')),
  },
  {
    name: 'backend_auth_config_update',
    description: '(extension) Update the project auth configuration. passwordPolicy is merged: minLength, maxLength, requireUppercase, requireLowercase, requireNumbers, requireSpecialChars, rejectCommonPasswords, expirationDays.',
    scope: 'project:update',
    params: projectId,
    required: ['projectId'],
    body: {
      properties: {
        passwordPolicy: obj('password rules to change'),
        magicLinkEnabled: bool('allow magic-link sign-in'),
        magicLinkExpirationMinutes: int('1–1440', { minimum: 1, maximum: 1440 }),
        emailVerificationRequired: bool('require a verified e-mail before sign-in'),
      },
    },
    run: ({ core, actor }, args) => core.projectSettings.auth.update(actor, param(args, 'projectId'), args.body),
  },
  {
    name: 'backend_auth_provider_upsert',
    description: '(extension) Configure the Google or GitHub sign-in provider of a project. Omitting clientSecret keeps the stored one.',
    scope: 'project:update',
    params: { ...projectId, ...provider },
    required: ['projectId', 'provider'],
    body: {
      properties: { clientId: str('OAuth client id'), clientSecret: str('OAuth client secret (write-only)'), redirectUri: str('absolute callback URL'), scopes: strings('provider scopes'), enabled: bool('whether sign-in with this provider works') },
      required: ['clientId', 'redirectUri', 'scopes', 'enabled'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.projectSettings.auth.upsertProvider(actor, param(args, 'projectId'), param(args, 'provider'), args.body),
  },
  {
    name: 'backend_auth_provider_delete',
    description: '(extension) Remove a social provider configuration; sign-in with it then fails with auth/oauth-not-configured.',
    scope: 'project:update',
    params: { ...projectId, ...provider },
    required: ['projectId', 'provider'],
    destructive: true,
    run: ({ core, actor }, args) => core.projectSettings.auth.deleteProvider(actor, param(args, 'projectId'), param(args, 'provider')),
  },
  {
    name: 'backend_email_settings_get',
    description: '(extension) Get the project e-mail settings: sender, logo, brand colour, whether custom templates override the built-in ones.',
    scope: 'project:read',
    params: projectId,
    required: ['projectId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.projectSettings.email.getSettings(actor, param(args, 'projectId')),
  },
  {
    name: 'backend_email_settings_update',
    description: '(extension) Update the project e-mail settings.',
    scope: 'project:update',
    params: projectId,
    required: ['projectId'],
    body: {
      properties: { senderEmail: str('sender address'), senderName: str('sender name'), logoUrl: str('header logo URL or null'), brandColor: str('#RRGGBB or null'), overrideDefaults: bool('use the custom templates instead of the built-in ones') },
    },
    run: ({ core, actor }, args) => core.projectSettings.email.updateSettings(actor, param(args, 'projectId'), args.body),
  },
  {
    name: 'backend_email_template_list',
    description: '(extension) List the e-mail templates of a project, one per category.',
    scope: 'project:read',
    params: projectId,
    required: ['projectId'],
    readOnly: true,
    run: ({ core, actor }, args) => all(core.projectSettings.email.list(actor, param(args, 'projectId'))),
  },
  {
    name: 'backend_email_template_get',
    description: '(extension) Get one e-mail template.',
    scope: 'project:read',
    params: { ...projectId, ...category },
    required: ['projectId', 'category'],
    readOnly: true,
    run: ({ core, actor }, args) => core.projectSettings.email.get(actor, param(args, 'projectId'), param(args, 'category')),
  },
  {
    name: 'backend_email_template_update',
    description: '(extension) Replace an e-mail template. Placeholders like {{userName}} and {{verifyLink}} are filled when sending.',
    scope: 'project:update',
    params: { ...projectId, ...category },
    required: ['projectId', 'category'],
    body: { properties: { subject: str('subject line'), body: str('HTML body') }, required: ['subject', 'body'], mandatory: true },
    run: ({ core, actor }, args) => core.projectSettings.email.update(actor, param(args, 'projectId'), param(args, 'category'), args.body),
  },
  {
    name: 'backend_email_template_reset',
    description: '(extension) Return an e-mail template to the built-in text: the custom subject and body are removed (isCustom false). Idempotent.',
    scope: 'project:update',
    params: { ...projectId, ...category },
    required: ['projectId', 'category'],
    destructive: true,
    run: ({ core, actor }, args) => core.projectSettings.email.reset(actor, param(args, 'projectId'), param(args, 'category')),
  },
  {
    name: 'backend_email_template_preview',
    description: '(extension) Render an e-mail template with sample values.',
    scope: 'project:read',
    params: { ...projectId, ...category, locale: str('optional locale, e.g. en') },
    required: ['projectId', 'category'],
    readOnly: true,
    run: ({ core, actor }, args) => core.projectSettings.email.preview(actor, param(args, 'projectId'), param(args, 'category'), optionalParam(args, 'locale')),
  },
]
