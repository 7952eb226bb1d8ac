import { expect } from 'chai'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// The README and docs/ link to each other and into the generated command reference; a renamed heading, a moved
// section or a topic the build no longer generates must fail here, not on a reader.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f))
    .sort()
}

/** The text outside fenced code blocks and inline code, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '``')
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
  return text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
}

/** Every anchor a Markdown file offers, numbered the way GitHub numbers repeated headings. */
function anchors(markdown: string): Set<string> {
  const lines = markdown.replace(/^```[\s\S]*?^```/gm, '').split('\n')
  const headings: string[] = []
  lines.forEach((line, i) => {
    const atx = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (atx) headings.push(atx[1]!)
    else if (/^(=+|-+)\s*$/.test(lines[i + 1] ?? '') && line.trim() !== '' && !line.startsWith('|')) headings.push(line)
  })
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const heading of headings) {
    const base = slug(heading)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}

interface Link {
  file: string
  target: string
}

function relativeLinks(file: string): Link[] {
  const text = prose(readFileSync(file, 'utf8'))
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => ({ file, target }))
}

/** Why a link does not resolve, or undefined when it does. */
function problem({ file, target }: Link): string | undefined {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined]
  const destination = path === '' ? file : resolve(dirname(file), decodeURI(path))
  if (!existsSync(destination)) return `${target}: no such file`
  if (anchor === undefined || statSync(destination).isDirectory()) return undefined
  if (!destination.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`
  return anchors(readFileSync(destination, 'utf8')).has(anchor) ? undefined : `${target}: no heading with that anchor`
}

describe('documentation links', () => {
  const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))]
  const links = files.flatMap(relativeLinks)

  it('finds the README, the hand-written docs and the generated command reference', () => {
    const names = files.map((f) => relative(ROOT, f))
    expect(names).to.include.members(['README.md', 'docs/configuration.md', 'docs/cli.md', 'docs/commands/dev.md'])
    expect(links.length).to.be.greaterThan(50)
  })

  it('every relative link points at a file and heading that exist', () => {
    const broken = links.flatMap((link) => {
      const reason = problem(link)
      return reason ? [`${relative(ROOT, link.file)}: ${reason}`] : []
    })
    expect(broken).to.deep.equal([])
  })

  it('the README links to every page of the generated command reference', () => {
    const pages = markdownFiles(join(ROOT, 'docs', 'commands')).map((f) => relative(ROOT, f))
    expect(pages.length).to.be.greaterThan(10)
    const fromReadme = new Set(links.filter((l) => l.file === files[0]).map((l) => l.target.split('#')[0]))
    expect(pages.filter((page) => !fromReadme.has(page))).to.deep.equal([])
  })

  it('the README stays under 15 KB', () => {
    expect(statSync(join(ROOT, 'README.md')).size).to.be.at.most(15 * 1024)
  })
})

describe('heading anchors', () => {
  const cases: Array<[string, string]> = [
    ['## `bkend auth config set [SETTINGS]`', 'bkend-auth-config-set-settings'],
    ['### 3. An app\'s requests', '3-an-apps-requests'],
    ['## Social login, linked accounts and MFA', 'social-login-linked-accounts-and-mfa'],
    ['## Controls (`/_emulator`)', 'controls-_emulator'],
    ['## `bkend dev`', 'bkend-dev'],
  ]
  for (const [heading, anchor] of cases) {
    it(`${heading} → #${anchor}`, () => {
      expect([...anchors(heading)]).to.deep.equal([anchor])
    })
  }

  it('numbers a repeated heading and reads setext titles', () => {
    expect([...anchors('`bkend data`\n============\n\n## Output\n\n## Output\n')]).to.deep.equal(['bkend-data', 'output', 'output-1'])
  })
})
