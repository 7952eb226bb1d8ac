import { dirname, join, relative, resolve, sep } from 'node:path'

/** The config folder's names (docs/config.md). */
export const CONFIG_FOLDER = 'bkend'
export const PROJECT_FILE = 'project.json'
export const TABLES_DIR = 'tables'
export const OVERLAYS_DIR = 'overlays'
export const SEED_DIR = 'seed'

/** Where a project's config lives, and the directory `$schema` references start from. */
export interface ConfigLayout {
  /** Absolute path of the config folder. */
  dir: string
  /** The project root: the directory of bkend.json, else the working directory. `node_modules/` is expected here. */
  root: string
}

/**
 * The config folder: the one bkend.json names with `"config"` (relative to bkend.json), else `bkend/` beside the
 * nearest bkend.json, else `./bkend`. `override` (a --dir flag) wins, relative to the working directory.
 */
export function configLayout(cwd: string, link?: { path: string; config?: string }, override?: string): ConfigLayout {
  const root = link ? dirname(link.path) : resolve(cwd)
  if (override !== undefined) return { dir: resolve(cwd, override), root }
  return { dir: resolve(root, link?.config ?? CONFIG_FOLDER), root }
}

export type SchemaKind = 'table' | 'project' | 'overlay'

/**
 * The `$schema` a written file carries: a path relative to the file into `node_modules/bkend/schemas/` at the
 * project root. It resolves offline wherever bkend is a dependency of the project, and the same bytes are right on
 * every machine (an absolute path to wherever bkend happens to be installed would not be).
 */
export function schemaRef(layout: ConfigLayout, file: string, kind: SchemaKind): string {
  const target = join(layout.root, 'node_modules', 'bkend', 'schemas', `${kind}.schema.json`)
  return relative(dirname(file), target).split(sep).join('/')
}

/** A path as messages show it: relative to the working directory when near it (inside, or up to two levels up). */
export function shownPath(cwd: string, path: string): string {
  const rel = relative(cwd, path)
  if (rel === '') return '.'
  return rel.split(sep).slice(0, 3).join('/') === '../../..' ? path : rel.split(sep).join('/')
}
