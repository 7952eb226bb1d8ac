import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as AjvModule from 'ajv'

const load = async (name: string) => JSON.parse(await readFile(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>

describe('seed: the shipped JSON Schemas', () => {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule
  // each object the files hold, except files' `metadata`, which the API keeps open ("other keys kept")
  const objects: Array<[string, string[]]> = [
    ['seed', []],
    ['seed-users', ['definitions', 'user']],
    ['seed-users', ['definitions', 'user', 'properties', 'socialLinks']],
    ['seed-files', ['items']],
  ]
  for (const [name, path] of objects) {
    it(`${name}.schema.json compiles in ajv's strict mode, and #/${path.join('/')} refuses unknown keys (editors flag typos)`, async () => {
      const schema = await load(name)
      expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).to.not.throw()
      const object = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], schema)
      expect(object).to.have.property('additionalProperties', false)
    })
  }

  it('accept what docs/seed.md shows and refuse its mistakes', async () => {
    const ajv = new Ajv({ allowUnionTypes: true })
    const users = ajv.compile(await load('seed-users'))
    expect(users([{ email: 'ada@example.com', password: 'correct horse', role: 'admin', emailVerified: true, nickname: 'ada', socialLinks: { github: null } }])).to.equal(true)
    expect(users([{ password: 'no e-mail' }])).to.equal(false)
    expect(users([{ email: 'a@b.co', role: 'Admin' }])).to.equal(false)
    const files = ajv.compile(await load('seed-files'))
    expect(files([{ key: 'logo', path: 'img/logo.png', visibility: 'public', metadata: { alt: 'Logo', anything: 1 } }])).to.equal(true)
    expect(files([{ key: 'logo', path: 'x', visibility: 'secret' }])).to.equal(false)
    const settings = ajv.compile(await load('seed'))
    expect(settings({ keys: { posts: 'slug' } })).to.equal(true)
    expect(settings({ keys: { posts: 'createdAt' } })).to.equal(false)
  })
})
