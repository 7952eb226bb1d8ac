import { expect } from 'chai'
import type { AuthModel, EmailModel, ProjectModel, ProviderModel, SettingsModel, TableModel } from '../../src/config/model.js'
import { plan } from '../../src/config/planner.js'

const table = (name: string, over: Partial<TableModel> = {}): TableModel => ({
  name,
  displayName: null,
  description: null,
  schema: { bsonType: 'object', required: ['title'], properties: { title: { bsonType: 'string', maxLength: 200 }, score: { bsonType: 'int' } } },
  indexes: [{ name: 'title_1', fields: { title: 1 }, unique: false, sparse: false }],
  permissions: null,
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
  ...over,
})

const provider = (over: Partial<ProviderModel> = {}): ProviderModel => ({ clientId: 'cid', redirectUri: 'http://localhost/cb', scopes: ['user:email'], enabled: true, ...over })

const settings = (over: { auth?: Partial<AuthModel>; email?: Partial<EmailModel>; sender?: Partial<EmailModel['sender']>; cors?: string[] } = {}): Required<SettingsModel> => ({
  auth: {
    passwordPolicy: { minLength: 8, maxLength: 128, requireUppercase: false, requireLowercase: false, requireNumbers: false, requireSpecialChars: false, rejectCommonPasswords: true, expirationDays: null },
    magicLinkEnabled: false,
    magicLinkExpirationMinutes: 15,
    emailVerificationRequired: false,
    providers: { google: null, github: provider() },
    ...over.auth,
  },
  email: {
    sender: { senderEmail: 'noreply@example.com', senderName: 'App', logoUrl: null, brandColor: null, overrideDefaults: false, ...over.sender },
    templates: {},
    ...over.email,
  },
  cors: { allowedOrigins: over.cors ?? ['http://localhost:3000'] },
})

const project = (tables: TableModel[], s?: SettingsModel): ProjectModel => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])), ...(s ? { settings: s } : {}) })

/** A step as the case tables spell it: kind, its subject, whether destructive. */
const brief = (p: ReturnType<typeof plan>) => p.steps.map((s) => `${s.kind} ${'table' in s ? s.table : ''}${'field' in s ? `.${s.field}` : ''}${'name' in s ? `#${s.name}` : ''}${'index' in s ? `#${s.index.name}` : ''}${'to' in s && s.kind === 'index.change' ? `#${s.to.name}` : ''}${'provider' in s ? s.provider : ''}${'category' in s ? s.category : ''}${s.destructive ? ' !' : ''}`.replace('  ', ' ').trim())

const base = table('posts')

describe('config: plan (config × live state → steps)', () => {
  const cases: Array<{ name: string; desired: ProjectModel; live: ProjectModel; steps: string[] }> = [
    { name: 'identical tables → nothing', desired: project([base]), live: project([base]), steps: [] },
    { name: 'key order of a definition makes no difference', desired: project([table('posts', { schema: { properties: { score: { bsonType: 'int' }, title: { maxLength: 200, bsonType: 'string' } }, required: ['title'], bsonType: 'object' } })]), live: project([base]), steps: [] },
    { name: 'a new table → table.create, not destructive', desired: project([base, table('tags')]), live: project([base]), steps: ['table.create tags'] },
    { name: 'a table gone from config → table.drop, destructive', desired: project([]), live: project([base]), steps: ['table.drop posts !'] },
    { name: 'creates before changes before drops', desired: project([table('b', { displayName: 'B' }), table('c')]), live: project([table('a'), table('b')]), steps: ['table.create c', 'table.update b', 'table.drop a !'] },
    { name: 'display name and description → one table.update', desired: project([table('posts', { displayName: 'Posts', description: 'All posts' })]), live: project([base]), steps: ['table.update posts'] },
    {
      name: 'a new optional field → field.add',
      desired: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, body: { bsonType: 'string' } } } })]),
      live: project([base]),
      steps: ['field.add posts.body'],
    },
    {
      name: 'a dropped field → field.drop, destructive',
      desired: project([table('posts', { schema: { ...base.schema, properties: { title: base.schema.properties.title! } } })]),
      live: project([base]),
      steps: ['field.drop posts.score !'],
    },
    {
      name: 'a constraint change → field.change, not destructive',
      desired: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, title: { bsonType: 'string', maxLength: 100 } } } })]),
      live: project([base]),
      steps: ['field.change posts.title'],
    },
    {
      name: 'a type change → field.change, destructive',
      desired: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, score: { bsonType: 'string' } } } })]),
      live: project([base]),
      steps: ['field.change posts.score !'],
    },
    {
      name: 'a type change of array items → destructive',
      desired: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, tags: { bsonType: 'array', items: { bsonType: 'int' } } } } })]),
      live: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, tags: { bsonType: 'array', items: { bsonType: 'string' } } } } })]),
      steps: ['field.change posts.tags !'],
    },
    {
      name: 'a type change of a nested property → destructive',
      desired: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, meta: { bsonType: 'object', required: [], properties: { n: { bsonType: 'double' } } } } } })]),
      live: project([table('posts', { schema: { ...base.schema, properties: { ...base.schema.properties, meta: { bsonType: 'object', required: [], properties: { n: { bsonType: 'string' } } } } } })]),
      steps: ['field.change posts.meta !'],
    },
    {
      name: 'a new required field → field.add carrying required',
      desired: project([table('posts', { schema: { bsonType: 'object', required: ['title', 'slug'], properties: { ...base.schema.properties, slug: { bsonType: 'string' } } } })]),
      live: project([base]),
      steps: ['field.add posts.slug'],
    },
    { name: 'an existing field made required → required.add', desired: project([table('posts', { schema: { ...base.schema, required: ['title', 'score'] } })]), live: project([base]), steps: ['required.add posts.score'] },
    { name: 'a field made optional → required.remove', desired: project([table('posts', { schema: { ...base.schema, required: [] } })]), live: project([base]), steps: ['required.remove posts.title'] },
    {
      name: 'a dropped required field is one field.drop, no required.remove',
      desired: project([table('posts', { schema: { bsonType: 'object', required: [], properties: { score: { bsonType: 'int' } } }, indexes: [] })]),
      live: project([base]),
      steps: ['index.drop posts#title_1', 'field.drop posts.title !'],
    },
    { name: 'a new index → index.add', desired: project([table('posts', { indexes: [...base.indexes, { name: 'score_1', fields: { score: -1 }, unique: true, sparse: false }] })]), live: project([base]), steps: ['index.add posts#score_1'] },
    { name: 'a changed index → one index.change under its name', desired: project([table('posts', { indexes: [{ name: 'title_1', fields: { title: 1 }, unique: true, sparse: false }] })]), live: project([base]), steps: ['index.change posts#title_1'] },
    {
      name: 'compound index field order matters',
      desired: project([table('posts', { indexes: [{ name: 'c', fields: { score: 1, title: 1 }, unique: false, sparse: false }] })]),
      live: project([table('posts', { indexes: [{ name: 'c', fields: { title: 1, score: 1 }, unique: false, sparse: false }] })]),
      steps: ['index.change posts#c'],
    },
    { name: 'a dropped index → index.drop, not destructive', desired: project([table('posts', { indexes: [] })]), live: project([base]), steps: ['index.drop posts#title_1'] },
    {
      name: 'field and index changes in applicable order: index drops, field drops, adds, required, index adds, permissions',
      desired: project([
        table('posts', {
          schema: { bsonType: 'object', required: ['body'], properties: { body: { bsonType: 'string' }, score: { bsonType: 'int' } } },
          indexes: [{ name: 'body_1', fields: { body: 1 }, unique: false, sparse: false }],
          permissions: { guest: { read: true, list: true } },
        }),
      ]),
      live: project([base]),
      steps: ['index.drop posts#title_1', 'field.drop posts.title !', 'field.add posts.body', 'index.add posts#body_1', 'permissions.set posts'],
    },
    { name: 'boolean permissions → permissions.set', desired: project([table('posts', { permissions: { user: { create: true } } })]), live: project([base]), steps: ['permissions.set posts'] },
    { name: 'expression permissions → permissions.set', desired: project([table('posts', { expressionPermissions: { update: 'auth.id == data.createdBy' } })]), live: project([base]), steps: ['permissions.set posts'] },
    { name: 'column permissions → permissions.set', desired: project([table('posts', { columnPermissions: { score: { write: 'auth.role == "admin"' } } })]), live: project([base]), steps: ['permissions.set posts'] },
    { name: 'row filters → permissions.set', desired: project([table('posts', { rowFilters: [{ expression: 'true', filter: { score: { $gt: 0 } } }] })]), live: project([base]), steps: ['permissions.set posts'] },
    { name: 'settings absent from config → nothing planned for them', desired: project([base]), live: project([base], settings({ cors: [] })), steps: [] },
    { name: 'settings absent from live state → nothing planned for them', desired: project([base], settings()), live: project([base]), steps: [] },
    { name: 'identical settings → nothing', desired: project([], settings()), live: project([], settings()), steps: [] },
    { name: 'password policy → auth.update', desired: project([], settings({ auth: { passwordPolicy: { ...settings().auth.passwordPolicy, minLength: 12 } } })), live: project([], settings()), steps: ['auth.update'] },
    { name: 'magic link and verification → one auth.update', desired: project([], settings({ auth: { magicLinkEnabled: true, emailVerificationRequired: true } })), live: project([], settings()), steps: ['auth.update'] },
    { name: 'a new provider → provider.set', desired: project([], settings({ auth: { providers: { google: provider({ scopes: ['openid'] }), github: provider() } } })), live: project([], settings()), steps: ['provider.set google'] },
    { name: 'a changed provider → provider.set', desired: project([], settings({ auth: { providers: { google: null, github: provider({ enabled: false }) } } })), live: project([], settings()), steps: ['provider.set github'] },
    { name: 'scope order of a provider makes no difference', desired: project([], settings({ auth: { providers: { google: null, github: provider({ scopes: ['b', 'a'] }) } } })), live: project([], settings({ auth: { providers: { google: null, github: provider({ scopes: ['a', 'b'] }) } } })), steps: [] },
    { name: 'a secret given while one is stored → nothing (secrets are never read back)', desired: project([], settings({ auth: { providers: { google: null, github: provider({ clientSecret: 's' }) } } })), live: project([], settings({ auth: { providers: { google: null, github: provider({ hasClientSecret: true }) } } })), steps: [] },
    { name: 'a secret given while none is stored → provider.set', desired: project([], settings({ auth: { providers: { google: null, github: provider({ clientSecret: 's' }) } } })), live: project([], settings({ auth: { providers: { google: null, github: provider({ hasClientSecret: false }) } } })), steps: ['provider.set github'] },
    { name: 'a provider gone from config → provider.delete, destructive', desired: project([], settings({ auth: { providers: { google: null, github: null } } })), live: project([], settings()), steps: ['provider.delete github !'] },
    { name: 'sender → email.sender', desired: project([], settings({ sender: { senderName: 'Shop' } })), live: project([], settings()), steps: ['email.sender'] },
    { name: 'a customised template → email.template', desired: project([], settings({ email: { templates: { password_reset: { subject: 'Reset', body: '<p>{{resetLink}}</p>' } } } })), live: project([], settings()), steps: ['email.template password_reset'] },
    {
      name: 'a template absent from config is left as it is (no tool resets one)',
      desired: project([], settings()),
      live: project([], settings({ email: { templates: { magic_link: { subject: 'x', body: 'y' } } } })),
      steps: [],
    },
    { name: 'CORS origins → cors.set', desired: project([], settings({ cors: ['https://app.example.com'] })), live: project([], settings()), steps: ['cors.set'] },
    { name: 'an auth part absent from config → no auth steps, the rest planned', desired: project([], { ...settings({ cors: [] }), auth: undefined }), live: project([], settings()), steps: ['cors.set'] },
    { name: 'an e-mail part absent from live state (a target that cannot read it) → no e-mail steps', desired: project([], settings({ sender: { senderName: 'Shop' } })), live: project([], { ...settings(), email: undefined }), steps: [] },
    { name: 'a CORS part absent from config → no cors step', desired: project([], { ...settings(), cors: undefined }), live: project([], settings({ cors: [] })), steps: [] },
    { name: 'CORS origin order makes no difference', desired: project([], settings({ cors: ['https://b.example', 'https://a.example'] })), live: project([], settings({ cors: ['https://a.example', 'https://b.example'] })), steps: [] },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const result = plan(c.desired, c.live)
      expect(brief(result)).to.deep.equal(c.steps)
      expect(result.destructive).to.equal(c.steps.some((s) => s.endsWith('!')))
    })
  }

  it('a field.add carries the definition and whether it is required', () => {
    const desired = project([table('posts', { schema: { bsonType: 'object', required: ['title', 'slug'], properties: { ...base.schema.properties, slug: { bsonType: 'string', pattern: '^[a-z-]+$' } } } })])
    const [step] = plan(desired, project([base])).steps
    expect(step).to.deep.include({ kind: 'field.add', field: 'slug', required: true, definition: { bsonType: 'string', pattern: '^[a-z-]+$' } })
  })

  it('a table.create carries the whole model, indexes and permissions included', () => {
    const tags = table('tags', { permissions: { guest: { read: true } } })
    const [step] = plan(project([tags]), project([])).steps
    expect(step).to.deep.include({ kind: 'table.create', table: 'tags', model: tags })
  })

  it('a permissions.set carries all four objects from and to', () => {
    const [step] = plan(project([table('posts', { rowFilters: [{ expression: 'true', filter: {} }] })]), project([base])).steps
    expect(step).to.deep.include({ kind: 'permissions.set', from: { permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: null }, to: { permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: [{ expression: 'true', filter: {} }] } })
  })
})
