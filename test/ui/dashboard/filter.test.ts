import { expect } from 'chai'
import { describeFilter, matches, parseFilter } from '../../../src/ui/dashboard/filter.js'
import { requestEvent } from './events.js'

describe('ui: dashboard filter', () => {
  const cases: Array<{ text: string; filter?: object; error?: RegExp }> = [
    { text: '', filter: {} },
    { text: '4xx', filter: { status: '4xx' } },
    { text: '404 env:staging /posts', filter: { status: '404', env: 'staging', path: '/posts' } },
    { text: '  5XX   users ', filter: { status: '5xx', path: 'users' } },
    { text: 'env=prod', filter: { env: 'prod' } },
    { text: '7xx', error: /7xx is not a status/ },
    { text: '4040', error: /4040 is not a status/ },
    { text: 'env:', error: /env: needs a name/ },
  ]
  for (const { text, filter, error } of cases) {
    it(`"${text}" → ${error ? 'refused' : JSON.stringify(filter)}`, () => {
      const parsed = parseFilter(text)
      if (error) expect(parsed.ok === false && parsed.error).to.match(error)
      else expect(parsed).to.deep.equal({ ok: true, filter })
    })
  }

  it('keeps a status class, an exact code, an environment and a path substring', () => {
    const denied = requestEvent({ status: 403, path: '/v1/data/posts?limit=1', environment: 'dev' })
    expect(matches({ status: '4xx' }, denied)).to.equal(true)
    expect(matches({ status: '403' }, denied)).to.equal(true)
    expect(matches({ status: '404' }, denied)).to.equal(false)
    expect(matches({ status: '2xx' }, denied)).to.equal(false)
    expect(matches({ env: 'dev', path: 'posts' }, denied)).to.equal(true)
    expect(matches({ env: 'staging' }, denied)).to.equal(false)
    expect(matches({ path: 'users' }, denied)).to.equal(false)
  })

  it('describes a filter the way it is typed', () => {
    expect(describeFilter({ status: '4xx', env: 'dev', path: '/posts' })).to.equal('4xx env:dev /posts')
    expect(describeFilter({})).to.equal('')
  })
})
