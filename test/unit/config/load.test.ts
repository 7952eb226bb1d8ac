import { expect } from 'chai'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { configLayout } from '../../../src/config/layout.js'
import { loadConfig, MAX_DEPTH } from '../../../src/config/load.js'
import type { ProjectModel } from '../../../src/config/model.js'
import { ConfigError, describeProblem } from '../../../src/config/problems.js'
import { tempDir } from '../../helpers/tmp.js'

const POLICY = { minLength: 8, maxLength: 128, requireUppercase: false, requireLowercase: false, requireNumbers: false, requireSpecialChars: false, rejectCommonPasswords: true, expirationDays: null }
const AUTH = { passwordPolicy: POLICY, magicLinkEnabled: true, magicLinkExpirationMinutes: 15, emailVerificationRequired: false }
const POSTS = { name: 'posts', fields: { title: { type: 'string', required: true } } }

type Files = Record<string, unknown>

/** Writes `files` (path inside the config folder → JSON value, or raw text) into a fresh project directory. */
async function folder(files: Files): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await tempDir('bkend-config-')
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, 'bkend', path)
    await mkdir(dirname(full), { recursive: true })
    await writeFile(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  }
  return { root: dir, cleanup }
}

async function load(files: Files, env: Record<string, string> = {}, kind: 'local' | 'cloud' = 'local'): Promise<ProjectModel> {
  const { root, cleanup } = await folder(files)
  try {
    return await loadConfig(configLayout(root), { kind, cwd: root, secrets: (name) => env[name] })
  } finally {
    await cleanup()
  }
}

async function problems(files: Files, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await load(files, env)
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError)
    return (error as ConfigError).problems.map(describeProblem)
  }
  throw new Error('expected a ConfigError')
}

describe('config: loading the config folder', () => {
  it('reads tables, project settings and the target overlay into one model', async () => {
    const files = {
      'tables/posts.json': POSTS,
      'tables/authors.json': { name: 'authors', fields: {} },
      'project.json': { auth: { ...AUTH, providers: { google: { scopes: ['openid'] } } }, email: { senderEmail: 'hi@example.com', senderName: 'Hi', overrideDefaults: true, templates: { magic_link: { subject: 'S', body: 'B' } } }, cors: { allowedOrigins: ['https://app.example.com'] } },
      'overlays/local.json': { auth: { providers: { google: { clientId: 'local-id', redirectUri: 'http://127.0.0.1:4100/cb', clientSecret: { env: 'GOOGLE_SECRET' } } } }, cors: { allowedOrigins: ['http://localhost:3000'] } },
      'overlays/cloud.json': { auth: { providers: { google: { clientId: 'cloud-id', redirectUri: 'https://app.example.com/cb', enabled: false } } } },
    }
    const local = await load(files, { GOOGLE_SECRET: 's3cret' })
    expect(Object.keys(local.tables)).to.deep.equal(['authors', 'posts'])
    expect(local.tables.posts!.schema).to.deep.equal({ bsonType: 'object', required: ['title'], properties: { title: { bsonType: 'string' } } })
    expect(local.settings!.auth!.providers).to.deep.equal({ google: { clientId: 'local-id', redirectUri: 'http://127.0.0.1:4100/cb', scopes: ['openid'], enabled: true, clientSecret: 's3cret' }, github: null })
    expect(local.settings!.email).to.deep.equal({ sender: { senderEmail: 'hi@example.com', senderName: 'Hi', logoUrl: null, brandColor: null, overrideDefaults: true }, templates: { magic_link: { subject: 'S', body: 'B' } } })
    expect(local.settings!.cors).to.deep.equal({ allowedOrigins: ['http://localhost:3000'] })
    // the other target: its own overlay, project.json's origins
    const cloud = await load(files, {}, 'cloud')
    expect(cloud.settings!.auth!.providers.google).to.deep.equal({ clientId: 'cloud-id', redirectUri: 'https://app.example.com/cb', scopes: ['openid'], enabled: false })
    expect(cloud.settings!.cors).to.deep.equal({ allowedOrigins: ['https://app.example.com'] })
  })

  it('a byte order mark at the start of a file is not a syntax error', async () => {
    const model = await load({ 'tables/posts.json': '\uFEFF' + JSON.stringify(POSTS) })
    expect(Object.keys(model.tables)).to.deep.equal(['posts'])
  })

  it('no project.json and no overlay: settings are not managed; sections left out are not managed either', async () => {
    expect(await load({ 'tables/posts.json': POSTS })).to.not.have.property('settings')
    const onlyCors = await load({ 'project.json': { cors: { allowedOrigins: [] } } })
    expect(onlyCors.settings).to.deep.equal({ cors: { allowedOrigins: [] } })
  })

  it('without a secret lookup no variable is needed and no secret is pushed', async () => {
    const { root, cleanup } = await folder({ 'project.json': { auth: { ...AUTH, providers: { github: { clientId: 'id', redirectUri: 'https://a.example/cb', clientSecret: { env: 'UNSET_VAR' } } } } } })
    try {
      const model = await loadConfig(configLayout(root), { kind: 'cloud', cwd: root })
      expect(model.settings!.auth!.providers.github).to.deep.equal({ clientId: 'id', redirectUri: 'https://a.example/cb', scopes: ['user:email'], enabled: true })
    } finally {
      await cleanup()
    }
  })

  it('finds the folder bkend.json names, relative to bkend.json', () => {
    expect(configLayout('/p/sub', { path: '/p/bkend.json', config: 'infra/bkend' })).to.deep.equal({ dir: '/p/infra/bkend', root: '/p' })
    expect(configLayout('/p/sub', { path: '/p/bkend.json' })).to.deep.equal({ dir: '/p/bkend', root: '/p' })
    expect(configLayout('/p/sub')).to.deep.equal({ dir: '/p/sub/bkend', root: '/p/sub' })
    expect(configLayout('/p/sub', { path: '/p/bkend.json' }, '../other')).to.deep.equal({ dir: '/p/other', root: '/p' })
  })

  describe('every problem, each with file, JSON path and what to write instead', () => {
    const CASES: { name: string; files: Files; env?: Record<string, string>; expected: string[] }[] = [
      { name: 'no config folder', files: {}, expected: ["bkend: (top level): there is no config folder here; run 'bkend pull' to write one from an environment, or pass --dir <config folder>"] },
      {
        name: 'invalid JSON, with line and column',
        files: { 'tables/posts.json': '{\n  "name": "posts",\n  "fields": {,}\n}\n' },
        expected: ["bkend/tables/posts.json: line 3:14: not valid JSON (Expected property name or '}'); fix the syntax there: quote keys, no trailing commas, no comments"],
      },
      {
        name: 'truncated JSON: the position is the end',
        files: { 'tables/posts.json': '{\n  "name": "posts"' },
        expected: ['bkend/tables/posts.json: line 2:18: not valid JSON (Expected \',\' or \'}\' after property value); fix the syntax there: quote keys, no trailing commas, no comments'],
      },
      {
        name: 'a typo in a key: did you mean',
        files: { 'tables/posts.json': { name: 'posts', fields: { title: { type: 'string', requird: true } }, indexs: [] } },
        expected: ['bkend/tables/posts.json: indexs: unknown key "indexs"; did you mean "indexes"?', 'bkend/tables/posts.json: fields.title.requird: unknown key "requird"; did you mean "required"?'],
      },
      {
        name: 'unique on a field (as tables create takes it) points at the index to write',
        files: { 'tables/posts.json': { name: 'posts', fields: { email: { type: 'string', unique: true } } } },
        expected: ['bkend/tables/posts.json: fields.email.unique: uniqueness is an index in a table file; remove it and add { "name": "email_unique", "fields": { "email": 1 }, "unique": true } to "indexes"'],
      },
      {
        name: 'an unknown field type lists the eight',
        files: { 'tables/posts.json': { name: 'posts', fields: { meta: { type: 'object', properties: { body: { type: 'text' } } } } } },
        expected: ['bkend/tables/posts.json: fields.meta.properties.body.type: unknown type "text"; write one of: string, number, int, boolean, date, object, array, reference'],
      },
      {
        name: 'system, built-in and malformed field names',
        files: { 'tables/posts.json': { name: 'posts', fields: { id: { type: 'string' }, constructor: { type: 'string' }, '9lives': { type: 'int' } } } },
        expected: [
          'bkend/tables/posts.json: fields.constructor: "constructor" is the name of a built-in member of every JavaScript object; choose another name (e.g. "constructorValue")',
          'bkend/tables/posts.json: fields.9lives: "9lives" is not a valid name; a field name starts with a letter, then up to 63 letters, digits or _',
          'bkend/tables/posts.json: fields.id: "id" is a system field every record has; leave it out, or choose another name',
        ],
      },
      {
        name: 'an index direction other than 1 or -1',
        files: { 'tables/posts.json': { ...POSTS, indexes: [{ name: 'by_title', fields: { title: 2 } }] } },
        expected: ['bkend/tables/posts.json: indexes[0].fields.title: 2 is not allowed here; write one of: 1, -1'],
      },
      {
        name: 'two indexes of one name',
        files: { 'tables/posts.json': { ...POSTS, indexes: [{ name: 'by_title', fields: { title: 1 } }, { name: 'by_title', fields: { title: -1 }, unique: true }] } },
        expected: ['bkend/tables/posts.json: indexes[1].name: a second index is named "by_title"; give each index its own name, or merge the two'],
      },
      {
        name: 'the file name is not the table name',
        files: { 'tables/post.json': POSTS },
        expected: ['bkend/tables/post.json: name: the table is named "posts" but the file is post.json; rename the file to posts.json, or write "name": "post"'],
      },
      {
        name: 'a bad table name',
        files: { 'tables/my posts.json': { ...POSTS, name: 'my posts' } },
        expected: ['bkend/tables/my posts.json: name: "my posts" is not valid here; a table name starts with a letter (or _ and a letter or digit), then up to 63 letters, digits, _ or -'],
      },
      {
        name: 'permissions: unknown group, self create',
        files: { 'tables/posts.json': { ...POSTS, permissions: { guests: { read: true }, self: { create: true } } } },
        expected: [
          'bkend/tables/posts.json: permissions.guests: unknown key "guests"; did you mean "guest"?',
          'bkend/tables/posts.json: permissions.self.create: self has no create permission (a record has no owner before it exists); remove it; who may create is set on user or guest',
        ],
      },
      {
        name: 'wrong value types and ranges',
        files: { 'tables/posts.json': { name: 'posts', fields: { n: { type: 'int', minimum: '3' }, s: { type: 'string', maxLength: -1 } } } },
        expected: ['bkend/tables/posts.json: fields.n.minimum: must be a number; write a number', 'bkend/tables/posts.json: fields.s.maxLength: -1 is out of range: it must be >= 0; change it to fit'],
      },
      {
        name: 'unknown files in the folder, tables/ and overlays/',
        files: { 'notes.txt': 'x', 'tables/posts.yaml': 'x', 'overlays/staging.json': {}, 'README.md': '# ok' },
        expected: [
          'bkend/notes.txt: (top level): not a config file bkend knows; the config folder holds project.json, tables/, overlays/ and seed/: move or remove it',
          'bkend/tables/posts.yaml: (top level): not a table file; name each table file <table name>.json, or move this one out of tables/',
          'bkend/overlays/staging.json: (top level): not an overlay; overlays are per target: name them local.json or cloud.json',
        ],
      },
      {
        name: 'tables and overlays that are files, not folders',
        files: { tables: '{}', overlays: '{}' },
        expected: ['bkend/tables: (top level): is a file, not a folder; make tables/ a folder of .json files', 'bkend/overlays: (top level): is a file, not a folder; make overlays/ a folder of .json files'],
      },
      {
        name: 'project.json: a missing key and a wildcard origin',
        files: { 'project.json': { auth: { ...AUTH, magicLinkEnabled: undefined }, cors: { allowedOrigins: ['*'] } } },
        expected: ['bkend/project.json: auth: "magicLinkEnabled" is missing; add "magicLinkEnabled"', 'bkend/project.json: cors.allowedOrigins[0]: "*" is not valid here; write an absolute http(s) URL without wildcards, e.g. https://app.example.com'],
      },
      {
        name: 'a secret written into the file instead of referenced',
        files: { 'project.json': { auth: { ...AUTH, providers: { google: { clientId: 'x', redirectUri: 'https://a.example/cb', clientSecret: 'plain' } } } } },
        expected: ['bkend/project.json: auth.providers.google.clientSecret: must be an object; write an object'],
      },
      {
        name: 'a secret variable that is not set names the variable',
        files: { 'project.json': { auth: AUTH }, 'overlays/local.json': { auth: { providers: { google: { clientId: 'x', redirectUri: 'https://a.example/cb', clientSecret: { env: 'GOOGLE_CLIENT_SECRET' } } } } } },
        expected: ['bkend/overlays/local.json: auth.providers.google.clientSecret.env: the environment variable GOOGLE_CLIENT_SECRET is not set; set GOOGLE_CLIENT_SECRET to the google client secret before running this, or remove clientSecret to keep the stored secret'],
      },
      {
        name: 'a provider without a client id anywhere',
        files: { 'project.json': { auth: { ...AUTH, providers: { github: { scopes: ['user:email'] } } } } },
        expected: ['bkend/project.json: auth.providers.github: github sign-in has no clientId; write "clientId" in overlays/<local|cloud>.json (or in project.json when every target shares it)', 'bkend/project.json: auth.providers.github: github sign-in has no redirectUri; write "redirectUri" in overlays/<local|cloud>.json (or in project.json when every target shares it)'],
      },
      {
        name: 'an overlay with providers but no auth in project.json',
        files: { 'overlays/local.json': { auth: { providers: { google: { clientId: 'x' } } } } },
        expected: ['bkend/overlays/local.json: auth.providers: providers are configured here but project.json has no "auth" section; add the auth section to project.json (bkend pull writes it), or remove auth from the overlay'],
      },
      {
        name: 'nesting deeper than the limit is refused before validation',
        files: { 'tables/posts.json': `{"name":"posts","fields":{},"rowFilters":[{"expression":"true","filter":${'{"a":'.repeat(MAX_DEPTH)}1${'}'.repeat(MAX_DEPTH)}}]}` },
        expected: [`bkend/tables/posts.json: (top level): nests deeper than ${MAX_DEPTH} levels of objects and arrays; flatten it`],
      },
    ]
    for (const c of CASES) {
      it(c.name, async () => {
        expect(await problems(c.files, c.env)).to.deep.equal(c.expected)
      })
    }
  })

  it('the error message lists every problem on its own line', async () => {
    try {
      await load({ 'tables/posts.json': { name: 'posts', fields: { a: { type: 'text' } }, indexs: [] } })
      expect.fail('expected a ConfigError')
    } catch (error) {
      expect((error as ConfigError).exitCode).to.equal(1)
      expect((error as Error).message).to.equal(
        '2 problems in the config files:\n  bkend/tables/posts.json: indexs: unknown key "indexs"; did you mean "indexes"?\n  bkend/tables/posts.json: fields.a.type: unknown type "text"; write one of: string, number, int, boolean, date, object, array, reference',
      )
    }
  })
})
