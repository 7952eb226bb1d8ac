import { expect } from 'chai'
import { configEventLines, destructivePush, type ConfigEvent } from '../../src/cli/config-watch.js'

/** What a person reads on stderr of `bkend dev --watch`, one case per kind of event. */
describe('cli: dev --watch lines', () => {
  const cases: Array<{ name: string; event: ConfigEvent; lines: string[] }> = [
    { name: 'an applied step', event: { event: 'config', status: 'applied', step: 'add field posts.body (string)', kind: 'field.add' }, lines: ['config: applied: add field posts.body (string)'] },
    {
      name: 'a refused destructive step names the push to run',
      event: { event: 'config', status: 'refused', step: 'drop field posts.views', kind: 'field.drop', command: 'bkend push --allow-destructive' },
      lines: ["config: not applied: drop field posts.views is destructive; run 'bkend push --allow-destructive' to apply it"],
    },
    {
      name: 'an invalid save: one line per problem, then that nothing changed',
      event: {
        event: 'config',
        status: 'invalid',
        problems: [
          { file: 'bkend/tables/posts.json', path: 'fields.title.type', message: 'unknown type "text"', fix: 'write one of: string, number' },
          { file: 'bkend/tables/tags.json', path: '(top level)', message: 'not valid JSON', fix: 'fix the syntax there' },
        ],
      },
      lines: [
        'config: invalid: bkend/tables/posts.json: fields.title.type: unknown type "text"; write one of: string, number',
        'config: invalid: bkend/tables/tags.json: (top level): not valid JSON; fix the syntax there',
        'config: nothing applied; the emulator keeps its last good state',
      ],
    },
    { name: 'a refused save names the step', event: { event: 'config', status: 'failed', step: 'add index posts.title_unique (unique)', message: 'duplicate values; nothing of this save was applied' }, lines: ['config: not applied (add index posts.title_unique (unique)): duplicate values; nothing of this save was applied'] },
    { name: 'a failure outside any step', event: { event: 'config', status: 'failed', message: 'connection refused' }, lines: ['config: not applied: connection refused'] },
  ]
  for (const c of cases) it(c.name, () => expect(configEventLines(c.event)).to.deep.equal(c.lines))

  it('the push to run carries the --dir and --data-dir bkend dev was given, quoted where a shell needs it', () => {
    expect(destructivePush(undefined, undefined)).to.equal('bkend push --allow-destructive')
    expect(destructivePush('infra/bkend', '/tmp/data')).to.equal('bkend push --allow-destructive --dir infra/bkend --data-dir /tmp/data')
    expect(destructivePush("my config", "it's here")).to.equal(`bkend push --allow-destructive --dir 'my config' --data-dir 'it'\\''s here'`)
  })
})
