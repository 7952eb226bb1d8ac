import type { Ajv as AjvInstance, ErrorObject, ValidateFunction } from 'ajv'
import type * as AjvModule from 'ajv'
import { readdir, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { extname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliError } from '../errors.js'
import { formatFromPath, type Format } from '../io/transfer/files.js'

/** One table's records: `data/<table>.ndjson|.jsonl|.json|.csv`. */
export interface SeedTable {
  table: string
  path: string
  format: Format
  /** The field seed.json declares as the table's key, if any. */
  key?: string
}

/** One entry of `files.json`. */
export interface SeedFile {
  key: string
  path: string
  name?: string
  contentType?: string
  visibility?: string
  category?: string
  metadata?: Record<string, unknown>
}

/** What a seed folder holds; every part is optional. */
export interface SeedLayout {
  dir: string
  tables: SeedTable[]
  /** `users.json` (array) or `users.ndjson`. */
  users?: { path: string; format: Format }
  files: SeedFile[]
}

/** The shipped JSON Schemas, at the package root (`schemas/`), the same depth from `src/` and `dist/`. */
const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url))
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/**
 * Reads a seed folder's layout: which tables have records, where users and files are, and seed.json's keys. Nothing
 * is streamed yet; seed.json and files.json are small and validated whole, so a mistake in them stops the seed
 * before anything is written.
 */
export async function readSeedLayout(dir: string): Promise<SeedLayout> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read the seed folder ${dir}: ${error.code === 'ENOENT' ? 'no such directory' : error.message}`, 'create seed/ in the config folder (see docs/seed.md), or pass --dir <config folder>', 1, 'seed/no-folder')
  })
  const names = new Set(entries.map((e) => e.name))
  const settings = names.has('seed.json') ? await readValidated<{ keys?: Record<string, string> }>(join(dir, 'seed.json'), 'seed.schema.json') : {}
  const keys = settings.keys ?? {}
  const tables = names.has('data') ? await readTables(join(dir, 'data'), keys) : []
  for (const table of Object.keys(keys)) {
    if (!tables.some((t) => t.table === table)) throw new CliError(`${join(dir, 'seed.json')}: keys.${table} names a table with no records file`, `add data/${table}.ndjson (or .json, .csv), or remove keys.${table}`, 1, 'seed/invalid')
  }
  if (names.has('users.json') && names.has('users.ndjson')) throw new CliError(`${dir} holds both users.json and users.ndjson`, 'keep one of them', 1, 'seed/invalid')
  const usersName = names.has('users.json') ? 'users.json' : names.has('users.ndjson') ? 'users.ndjson' : undefined
  const users = usersName ? { path: join(dir, usersName), format: formatFromPath(usersName)! } : undefined
  const files = names.has('files.json') ? await readFiles(dir) : []
  return { dir, tables, users, files }
}

async function readTables(dataDir: string, keys: Record<string, string>): Promise<SeedTable[]> {
  const tables = new Map<string, SeedTable>()
  for (const name of (await readdir(dataDir)).sort()) {
    const path = join(dataDir, name)
    const format = formatFromPath(name)
    const table = name.slice(0, name.length - extname(name).length)
    if (!format || !TABLE_NAME.test(table)) throw new CliError(`${path}: not a records file`, 'name records files <table>.ndjson, <table>.json (an array) or <table>.csv', 1, 'seed/invalid')
    const other = tables.get(table)
    if (other) throw new CliError(`${dataDir} holds two records files for ${table}: ${relative(dataDir, other.path)} and ${name}`, 'keep one file per table', 1, 'seed/invalid')
    tables.set(table, { table, path, format, key: keys[table] })
  }
  return [...tables.values()]
}

async function readFiles(dir: string): Promise<SeedFile[]> {
  const manifest = join(dir, 'files.json')
  const files = await readValidated<SeedFile[]>(manifest, 'seed-files.schema.json')
  const root = join(dir, 'files')
  const seen = new Set<string>()
  for (const [i, file] of files.entries()) {
    if (seen.has(file.key)) throw new CliError(`${manifest}: /${i}/key "${file.key}" appears twice`, 'give every file its own key', 1, 'seed/invalid')
    seen.add(file.key)
    const inside = relative(root, join(root, file.path))
    if (inside.startsWith('..') || inside === '') throw new CliError(`${manifest}: /${i}/path "${file.path}" leaves the files/ folder`, 'write a path relative to seed/files/, without ..', 1, 'seed/invalid')
    file.path = join(root, inside)
    const info = await stat(file.path).catch(() => undefined)
    if (!info?.isFile()) throw new CliError(`${manifest}: /${i}/path "${inside}" is not a file in ${root}`, 'put the file there, or fix the path', 1, 'seed/invalid')
  }
  return files
}

/** Parses a JSON file and checks it against a shipped schema; a problem names the file, the JSON path and what to write. */
async function readValidated<T>(path: string, schema: string): Promise<T> {
  const text = await readFile(path, 'utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax', 1, 'seed/invalid')
  }
  const validate = await validator(schema)
  if (!validate(value)) throw new CliError(`${path}: ${describe(validate.errors![0]!)}`, `see ${schema} (referenced by "$schema") and docs/seed.md`, 1, 'seed/invalid')
  return value as T
}

let ajv: AjvInstance | undefined
const compiled = new Map<string, ValidateFunction>()

/** A compiled validator for a shipped schema, or for one of its definitions (`seed-users.schema.json#/definitions/user`). */
export async function validator(ref: string): Promise<ValidateFunction> {
  const known = compiled.get(ref)
  if (known) return known
  if (!ajv) {
    // ajv is CommonJS; only a seed with settings or users loads it
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule
    ajv = new Ajv({ allErrors: false, strict: false })
  }
  const file = ref.split('#')[0]!
  const id = `https://bkend.ai/schemas/${file}`
  if (!ajv.getSchema(id)) ajv.addSchema(JSON.parse(await readFile(join(SCHEMAS, file), 'utf8')) as object)
  const validate = ajv.getSchema(`${id}${ref.slice(file.length)}`)!
  compiled.set(ref, validate)
  return validate
}

/** One ajv error as a sentence: where (a JSON path, `/` for the whole document) and what is wanted there. */
export function describe(error: ErrorObject): string {
  const at = error.instancePath || '/'
  if (error.keyword === 'additionalProperties') return `${at}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`
  if (error.keyword === 'required') return `${at}: missing "${(error.params as { missingProperty: string }).missingProperty}"`
  if (error.keyword === 'enum') return `${at}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
  if (error.keyword === 'not') return `${at}: a system field cannot be a seed key; declare a field of your own (e.g. slug)`
  return `${at}: ${error.message ?? 'is invalid'}`
}
