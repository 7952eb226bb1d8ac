import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { CliError } from './errors.js'

export const LINK_FILE = 'bkend.json'

/** `bkend.json`: the project and environment a directory works with. No secrets: it is meant to be committed. */
export interface LinkedProject {
  /** Target the link was made against (local, cloud or a URL); absent means "whatever the user config says". */
  target?: string
  organizationId?: string
  projectId: string
  /** The project's slug, for people reading the file. */
  projectSlug?: string
  environment?: string
  /** The local emulator's data dir, relative to this file's directory (`bkend link --data-dir`). */
  dataDir?: string
  /** The config folder, relative to this file's directory (default `bkend`; docs/config.md). */
  config?: string
}

export interface FoundLink {
  path: string
  link: LinkedProject
}

/** The nearest `bkend.json` from `cwd` upwards (like git finds its repository), or undefined. */
export async function findLinkedProject(cwd = process.cwd()): Promise<FoundLink | undefined> {
  let dir = resolve(cwd)
  for (;;) {
    const path = join(dir, LINK_FILE)
    const text = await readFile(path, 'utf8').catch(() => undefined)
    if (text !== undefined) return { path, link: parse(path, text) }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** Writes `bkend.json` into `dir` (not a parent: linking is about this directory). */
export async function writeLinkedProject(dir: string, link: LinkedProject): Promise<string> {
  const path = join(resolve(dir), LINK_FILE)
  await writeFile(path, JSON.stringify(link, null, 2) + '\n')
  return path
}

function parse(path: string, text: string): LinkedProject {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new CliError(`${path} is not valid JSON`, `fix it, or run 'bkend link' again`, 1, 'link/invalid')
  }
  const link = value as Partial<LinkedProject>
  if (typeof link !== 'object' || link === null || typeof link.projectId !== 'string') {
    throw new CliError(`${path} does not name a project (projectId)`, `run 'bkend link --project <id or slug>' again`, 1, 'link/invalid')
  }
  if (link.dataDir !== undefined && (typeof link.dataDir !== 'string' || link.dataDir === '')) {
    throw new CliError(`${path}: dataDir must be a path (relative to the file's directory)`, `fix it, or run 'bkend link --data-dir <dir>' again`, 1, 'link/invalid')
  }
  if (link.config !== undefined && (typeof link.config !== 'string' || link.config === '')) {
    throw new CliError(`${path}: config must be a path (the config folder, relative to the file's directory)`, 'fix it, or remove "config" to use bkend/ beside bkend.json', 1, 'link/invalid')
  }
  return link as LinkedProject
}
