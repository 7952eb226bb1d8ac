import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One searchable unit: a `##` section of a corpus document. */
interface Section {
  docTitle: string
  heading: string
  text: string
  terms: Map<string, number>
  length: number
}

export interface SearchHit {
  title: string
  heading: string
  text: string
  score: number
}

const K1 = 1.2
const B = 0.75
/** Heading words weigh as much as this many body occurrences: a section titled "Refresh tokens" is about them. */
const HEADING_WEIGHT = 3
const STOP = new Set('a an and are as at be by for from how i in is it of on or the to with what when which do does can use using'.split(' '))

/** Lower-case word stems: splits camelCase and punctuation, drops stop words, folds a plural `s`. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word))
}

/** Splits a Markdown document into its `##` sections (text before the first one is the overview). */
function sections(markdown: string): Section[] {
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? 'Untitled'
  const out: Section[] = []
  let heading = 'Overview'
  let lines: string[] = []
  const flush = () => {
    const text = lines.join('\n').trim()
    if (text) {
      const terms = new Map<string, number>()
      const words = [...tokenize(`${title} ${heading}`).flatMap((w) => Array<string>(HEADING_WEIGHT).fill(w)), ...tokenize(text)]
      for (const word of words) terms.set(word, (terms.get(word) ?? 0) + 1)
      out.push({ docTitle: title, heading, text, terms, length: words.length })
    }
    lines = []
  }
  for (const line of markdown.split('\n')) {
    if (/^#\s/.test(line)) continue
    const match = /^##\s+(.+)$/.exec(line)
    if (match) {
      flush()
      heading = match[1]!.trim()
    } else lines.push(line)
  }
  flush()
  return out
}

/** BM25 over the sections of the bundled documentation corpus (`docs/mcp-corpus/*.md`, MCP-D16). */
export class DocsIndex {
  private readonly docFreq = new Map<string, number>()
  private readonly avgLength: number

  constructor(private readonly sections: Section[]) {
    for (const section of sections) for (const term of section.terms.keys()) this.docFreq.set(term, (this.docFreq.get(term) ?? 0) + 1)
    this.avgLength = sections.reduce((sum, s) => sum + s.length, 0) / Math.max(1, sections.length)
  }

  static fromMarkdown(documents: readonly string[]): DocsIndex {
    return new DocsIndex(documents.flatMap(sections))
  }

  /** Loads every `.md` file of a directory. */
  static load(dir: URL): DocsIndex {
    const path = fileURLToPath(dir)
    const files = readdirSync(path).filter((f) => f.endsWith('.md')).sort()
    return DocsIndex.fromMarkdown(files.map((f) => readFileSync(`${path}/${f}`, 'utf8')))
  }

  get size(): number {
    return this.sections.length
  }

  /** The best section of each matching document, best documents first. */
  search(query: string, maxDocs = 5): SearchHit[] {
    const terms = [...new Set(tokenize(query))]
    const n = this.sections.length
    const best = new Map<string, SearchHit>()
    for (const section of this.sections) {
      let score = 0
      for (const term of terms) {
        const tf = section.terms.get(term)
        if (!tf) continue
        const df = this.docFreq.get(term) ?? 0
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5))
        score += idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * section.length) / this.avgLength)))
      }
      if (score <= 0) continue
      const current = best.get(section.docTitle)
      if (!current || score > current.score) best.set(section.docTitle, { title: section.docTitle, heading: section.heading, text: section.text, score })
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, maxDocs)
  }
}

let shared: DocsIndex | undefined

/** The corpus shipped with the package (`docs/mcp-corpus`), loaded once. */
export function bundledDocs(): DocsIndex {
  shared ??= DocsIndex.load(new URL('../../../docs/mcp-corpus/', import.meta.url))
  return shared
}
