// Runs after `oclif readme --multi` in `npm run build`: the target flags are in every command's help, so the
// generated reference would repeat their descriptions for every command. They are described once, in
// docs/configuration.md; here each command keeps only their names, and each topic page links there.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const COMMANDS_DIR = join(ROOT, 'docs', 'commands')
const POINTER = '(docs/configuration.md#target-flags)'
const TOPIC_NOTE =
  'Target flags (`--target`, `--data-dir`, `--project`, `--env`, `--profile`, `--secret-key`) and their `BKEND_*` ' +
  'variables are described once, in [Configuration](../configuration.md#target-flags).'

/** Replaces each TARGET FLAGS section of a help text with one line naming the flags. */
function compactTargetFlags(markdown: string): string {
  return markdown.replace(/^TARGET FLAGS\n((?: {2}.*\n)+)/gm, (_section, body: string) => {
    const names = [...body.matchAll(/^ {2}(--[a-z0-9-]+)/gm)].map((m) => m[1])
    return `TARGET FLAGS\n  ${names.join(', ')}  ${POINTER}\n`
  })
}

/** Puts the pointer to the target flags before a topic page's command list, when its commands have them. */
function addTopicNote(markdown: string): string {
  if (!markdown.includes(POINTER)) return markdown
  return markdown.replace(/^\* \[/m, `${TOPIC_NOTE}\n\n* [`)
}

const files = (await readdir(COMMANDS_DIR, { recursive: true })).filter((f) => f.endsWith('.md')).sort()
for (const file of files) {
  const path = join(COMMANDS_DIR, file)
  const text = await readFile(path, 'utf8')
  await writeFile(path, addTopicNote(compactTargetFlags(text)))
}

// oclif writes the README's topic index under its own top-level heading; the README's section heading is enough.
const readmePath = join(ROOT, 'README.md')
const readme = await readFile(readmePath, 'utf8')
await writeFile(readmePath, readme.replace('<!-- commands -->\n# Command Topics\n\n', '<!-- commands -->\n'))
