import { expect } from 'chai'
import { DomainError } from '../../src/emulator/core/errors.js'
import { describe as describeTool, prepare, runTool } from '../../src/emulator/mcp/dispatch.js'
import type { ToolError } from '../../src/emulator/mcp/errors.js'
import type { ToolContext, ToolDef } from '../../src/emulator/mcp/tool.js'

const withBody: ToolDef = {
  name: 'thing_update',
  description: 'test',
  scope: 'project:update',
  params: { thingId: { type: 'string', description: 'id' } },
  required: ['thingId'],
  body: { properties: { name: { type: 'string' }, body: { type: 'string' } }, mandatory: true },
  run: (_ctx, args) => ({ params: args.params, body: args.body }),
}
const flatParams: ToolDef = {
  name: 'thing_create',
  description: 'test',
  scope: 'project:create',
  params: { name: { type: 'string', description: 'n' }, kind: { type: 'string', description: 'k', enum: ['a', 'b'] } },
  required: ['name'],
  list: { defaultLimit: 20 },
  run: (_ctx, args) => args,
}
const ctx = (scopes: string[]): ToolContext => ({ core: {} as ToolContext['core'], actor: { tenantId: 't', organizationId: 'o' }, scopes })
const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return (error as ToolError).code
  }
  return 'no error'
}

describe('unit: MCP argument conventions (mcp.md §4)', () => {
  const cases: Array<{ name: string; args: Record<string, unknown>; body?: Record<string, unknown>; error?: string }> = [
    { name: 'body object is the body', args: { thingId: 'x', body: { name: 'n' } }, body: { name: 'n' } },
    { name: 'flattened arguments become the body (MCP-D10)', args: { thingId: 'x', name: 'n' }, body: { name: 'n' } },
    { name: 'a string "body" field is a flattened field, not the wrapper', args: { thingId: 'x', name: 's', body: '<p>html</p>' }, body: { name: 's', body: '<p>html</p>' } },
    { name: 'unknown body keys are rejected', args: { thingId: 'x', body: { name: 'n', color: 'red' } }, error: 'VALIDATION_ERROR' },
    { name: 'an empty mandatory body is rejected', args: { thingId: 'x' }, error: 'VALIDATION_ERROR' },
    { name: 'a missing required parameter is rejected', args: { body: { name: 'n' } }, error: 'VALIDATION_ERROR' },
    { name: 'a wrongly typed parameter is rejected', args: { thingId: 5, body: { name: 'n' } }, error: 'VALIDATION_ERROR' },
  ]
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) expect(code(() => prepare(withBody, c.args))).to.equal(c.error)
      else expect(prepare(withBody, c.args).body).to.deep.equal(c.body)
    })
  }

  it('names the allowed keys when rejecting unknown ones', () => {
    try {
      prepare(withBody, { thingId: 'x', body: { colour: 1 } })
      expect.fail('should throw')
    } catch (error) {
      expect((error as ToolError).message).to.equal('body has unknown keys colour; allowed keys: name, body')
    }
  })

  it('tools without a body accept their parameters wrapped in body', () => {
    expect(prepare(flatParams, { body: { name: 'n', kind: 'a' } }).params).to.deep.equal({ name: 'n', kind: 'a' })
    expect(code(() => prepare(flatParams, { name: 'n', kind: 'c' }))).to.equal('VALIDATION_ERROR')
  })

  it('pages: defaults per tool, limit 1–100, numeric strings accepted', () => {
    expect(prepare(flatParams, { name: 'n' })).to.include({ page: 1, limit: 20 })
    expect(prepare(flatParams, { name: 'n', page: '3', limit: 100 })).to.include({ page: 3, limit: 100 })
    for (const bad of [{ limit: 0 }, { limit: 101 }, { page: 0 }, { page: 1.5 }, { limit: 'ten' }]) {
      expect(code(() => prepare(flatParams, { name: 'n', ...bad })), JSON.stringify(bad)).to.equal('VALIDATION_ERROR')
    }
  })

  it('advertises JSON Schema input with body, paging and hints', () => {
    const described = describeTool(withBody, true)
    expect(described.inputSchema.required).to.deep.equal(['thingId', 'body'])
    expect(described.inputSchema.properties).to.have.keys('thingId', 'body')
    expect(describeTool(flatParams, true).inputSchema.properties).to.have.keys('name', 'kind', 'page', 'limit')
    expect(described.annotations).to.include({ readOnlyHint: false, destructiveHint: false })
  })
})

describe('unit: MCP tool results and errors', () => {
  const failing = (error: unknown): ToolDef => ({ name: 'f', description: '', scope: 'table:data:read', run: () => Promise.reject(error) })
  const parse = (result: Awaited<ReturnType<typeof runTool>>) => JSON.parse((result.content[0] as { text: string }).text) as { error: { code: string; message: string; details: unknown[] } }

  it('checks the scope first, with wildcards that do not cross resources (MCP-D7)', async () => {
    const tool: ToolDef = { name: 'ok', description: '', scope: 'table:data:read', run: () => ({ ok: true }) }
    expect((await runTool(tool, ctx(['*:read']), {}, true, () => undefined)).isError).to.equal(undefined)
    const refused = await runTool(tool, ctx(['table:*']), {}, true, () => undefined)
    expect(refused.isError).to.equal(true)
    expect(parse(refused).error).to.include({ code: 'SCOPE_INSUFFICIENT' })
    expect(parse(refused).error.message).to.include('table:data:read')
  })

  const kinds: Array<[DomainError['kind'], string]> = [
    ['invalid', 'VALIDATION_ERROR'],
    ['not-found', 'NOT_FOUND'],
    ['forbidden', 'FORBIDDEN'],
    ['conflict', 'CONFLICT'],
    ['internal', 'INTERNAL_ERROR'],
    ['unauthorized', 'INTERNAL_ERROR'],
  ]
  for (const [kind, expected] of kinds) {
    it(`maps domain kind ${kind} to ${expected}`, async () => {
      const result = await runTool(failing(new DomainError('x/y', kind, 'boom', [{ field: 'f', rule: 'r', message: 'm' }])), ctx(['*:*']), {}, false, () => undefined)
      expect(parse(result).error.code).to.equal(expected)
      expect(result).to.not.have.property('structuredContent')
    })
  }

  it('hides unexpected failures behind INTERNAL_ERROR and reports them to the logger', async () => {
    const seen: unknown[] = []
    const result = await runTool(failing(new TypeError('secret internals')), ctx(['*:*']), {}, true, (e) => seen.push(e))
    expect(parse(result).error).to.deep.equal({ code: 'INTERNAL_ERROR', message: 'An unexpected error occurred', details: [] })
    expect(seen).to.have.length(1)
  })

  it('formats results as 2-space JSON with structuredContent only when asked', async () => {
    const tool: ToolDef = { name: 'ok', description: '', scope: null, run: () => ({ a: 1 }) }
    const structured = await runTool(tool, ctx([]), {}, true, () => undefined)
    expect(structured.content).to.deep.equal([{ type: 'text', text: '{\n  "a": 1\n}' }])
    expect(structured.structuredContent).to.deep.equal({ a: 1 })
    expect(await runTool(tool, ctx([]), {}, false, () => undefined)).to.not.have.property('structuredContent')
  })
})
