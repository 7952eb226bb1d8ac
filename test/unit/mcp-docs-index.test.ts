import { expect } from 'chai'
import { bundledDocs, DocsIndex, tokenize } from '../../src/emulator/mcp/docs-index.js'

describe('unit: search_docs BM25 index', () => {
  it('tokenizes camelCase, punctuation, stop words and plurals', () => {
    expect(tokenize('The refreshTokens of X-API-Key')).to.deep.equal(['refresh', 'token', 'api', 'key'])
  })

  const corpus = DocsIndex.fromMarkdown([
    '# Alpha\n\n## Cats\n\ncats cats cats purr\n\n## Dogs\n\ndogs bark',
    '# Beta\n\n## Cats\n\na cat appears once among many other words here and there\n\n## Birds\n\nbirds sing',
    '# Gamma\n\nintro without sections mentions zebra',
  ])

  it('splits documents into ## sections (text before the first is the overview)', () => {
    expect(corpus.size).to.equal(5)
  })

  it('ranks by term frequency and length, one best section per document', () => {
    const hits = corpus.search('cat')
    expect(hits.map((h) => h.title)).to.deep.equal(['Alpha', 'Beta'])
    expect(hits[0]?.heading).to.equal('Cats')
    expect(hits[0]!.score).to.be.greaterThan(hits[1]!.score)
  })

  it('rare terms weigh more than common ones (idf)', () => {
    const idf = DocsIndex.fromMarkdown(['# One\n\n## Xa\n\nshared shared rare', '# Two\n\n## Xb\n\nshared shared shared', '# Three\n\n## Xc\n\nshared other'])
    expect(idf.search('shared rare').map((h) => h.title)).to.deep.equal(['One', 'Two', 'Three'])
  })

  it('returns nothing for unknown terms and at most the requested documents', () => {
    expect(corpus.search('quasar')).to.deep.equal([])
    expect(corpus.search('cats dogs birds zebra', 2)).to.have.length(2)
  })

  it('the bundled corpus answers the topics the MCP reference promises', () => {
    const docs = bundledDocs()
    const top = (query: string) => docs.search(query)[0]?.title
    expect(top('andFilters operators $gte')).to.equal('Filters, search, sorting and paging')
    expect(top('row level security self permissions')).to.equal('Permissions and row-level security (RLS)')
    expect(top('secret key scopes posts:read')).to.equal('API keys and scopes')
    expect(top('presigned upload file')).to.equal('File storage')
    expect(top('refresh token rotation sign in')).to.equal('User authentication flows')
    expect(top('connect Claude Code MCP OAuth')).to.equal('Using the bkend MCP server')
  })
})
