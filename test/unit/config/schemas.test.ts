import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type * as AjvModule from 'ajv'
import { overlayKindOf } from '../../../src/cli/project-config.js'

const SCHEMAS = ['table', 'project', 'overlay']
const load = async (name: string) => JSON.parse(await readFile(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>

/** Every object schema at or below `schema` that lists properties, with its JSON pointer (walking keywords, not data). */
function objectSchemas(schema: unknown, at = '#'): [string, Record<string, unknown>][] {
  if (typeof schema !== 'object' || schema === null) return []
  const node = schema as Record<string, unknown>
  const out: [string, Record<string, unknown>][] = node.properties ? [[at, node]] : []
  for (const map of ['properties', 'definitions'] as const) {
    for (const [key, sub] of Object.entries((node[map] as Record<string, unknown> | undefined) ?? {})) out.push(...objectSchemas(sub, `${at}/${map}/${key}`))
  }
  for (const key of ['items', 'additionalProperties', 'not', 'propertyNames'] as const) out.push(...objectSchemas(node[key], `${at}/${key}`))
  return out
}

describe('config: the shipped JSON Schemas', () => {
  for (const name of SCHEMAS) {
    it(`${name}.schema.json compiles in ajv's strict mode`, async () => {
      const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule
      const schema = await load(name)
      expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).to.not.throw()
    })
    it(`${name}.schema.json is closed: every object lists its keys and refuses others (editors flag typos)`, async () => {
      const objects = objectSchemas(await load(name))
      expect(objects.length).to.be.greaterThan(2)
      for (const [at, schema] of objects) expect(schema.additionalProperties, at).to.equal(false)
    })
  }

  it('ship with the package', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { files: string[] }
    expect(pkg.files).to.include('schemas')
  })

  it('the overlay of a target: local for the emulator and loopback URLs, cloud otherwise', () => {
    expect(overlayKindOf({ kind: 'local', mcpUrl: 'http://127.0.0.1:4100/mcp' })).to.equal('local')
    expect(overlayKindOf({ kind: 'cloud', mcpUrl: 'https://api.example.com/mcp' })).to.equal('cloud')
    expect(overlayKindOf({ kind: 'url', mcpUrl: 'http://localhost:5000/mcp' })).to.equal('local')
    expect(overlayKindOf({ kind: 'url', mcpUrl: 'http://[::1]:5000/mcp' })).to.equal('local')
    expect(overlayKindOf({ kind: 'url', mcpUrl: 'https://staging.example.com/mcp' })).to.equal('cloud')
  })
})
