/**
 * Reads a config folder into a ProjectModel: every file parsed and validated against the shipped JSON Schemas, and
 * every problem of every file reported at once as `<file>: <json path>: <what is wrong>; <what to write instead>`.
 */
import type { ErrorObject, ValidateFunction } from 'ajv'
import type * as AjvModule from 'ajv'
import { readdir, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { closest } from './did-you-mean.js'
import { OVERLAYS_DIR, PROJECT_FILE, SEED_DIR, shownPath, TABLES_DIR, type ConfigLayout, type SchemaKind } from './layout.js'
import type { ProjectModel, TableModel } from './model.js'
import { ConfigError, type ConfigProblem, type ProblemSink } from './problems.js'
import { OVERLAY_KINDS, settingsFromFiles, type OverlayFile, type OverlayKind, type ProjectFile, type SecretLookup } from './project-file.js'
import { FIELD_TYPES, tableFromFile, type TableFile } from './table-file.js'

/** A config file larger than this is refused before parsing (five 100 KB templates fit many times over). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024
/** Objects and arrays nested deeper than this are refused before validation walks them (the REST limit too). */
export const MAX_DEPTH = 100

export interface LoadOptions {
  /** Whose overlay applies: `overlays/<kind>.json`. */
  kind: OverlayKind
  /** Reads `{ "env": NAME }` secrets; without it no secret is read and none is pushed. */
  secrets?: SecretLookup
  /** The directory file names in messages are relative to. */
  cwd: string
}

const SCHEMAS_DIR = new URL('../../schemas/', import.meta.url)
let ajv: AjvModule.Ajv | undefined
const validators = new Map<SchemaKind, ValidateFunction>()

/** A shipped schema, compiled on first use (ajv is CommonJS, loaded only when a config is read; compiling costs). */
async function validatorFor(kind: SchemaKind): Promise<ValidateFunction> {
  const known = validators.get(kind)
  if (known) return known
  if (!ajv) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule
    ajv = new Ajv({ allErrors: true, strict: false, ownProperties: true, unicodeRegExp: true, verbose: true })
  }
  const validate = ajv.compile(JSON.parse(await readFile(new URL(`${kind}.schema.json`, SCHEMAS_DIR), 'utf8')) as object)
  validators.set(kind, validate)
  return validate
}

/** The project the folder declares for one target kind; throws a ConfigError listing every problem found. */
export async function loadConfig(layout: ConfigLayout, options: LoadOptions): Promise<ProjectModel> {
  const problems: ConfigProblem[] = []
  const sink =
    (path: string): ProblemSink =>
    (at, message, fix) =>
      problems.push({ file: shownPath(options.cwd, path), path: at, message, fix })
  const entries = await listDir(layout.dir)
  if (!entries) throw new ConfigError([{ file: shownPath(options.cwd, layout.dir), path: '(top level)', message: 'there is no config folder here', fix: "run 'bkend pull' to write one from an environment, or pass --dir <config folder>" }])
  for (const entry of entries) {
    if (entry.startsWith('.') || entry.endsWith('.md') || [PROJECT_FILE, TABLES_DIR, OVERLAYS_DIR, SEED_DIR].includes(entry)) continue
    sink(join(layout.dir, entry))('(top level)', 'not a config file bkend knows', `the config folder holds ${PROJECT_FILE}, ${TABLES_DIR}/, ${OVERLAYS_DIR}/ and ${SEED_DIR}/: move or remove it`)
  }

  const folder = async (name: string): Promise<string[]> => {
    const listed = await listDir(join(layout.dir, name))
    if (!listed && entries.includes(name)) sink(join(layout.dir, name))('(top level)', 'is a file, not a folder', `make ${name}/ a folder of .json files`)
    return listed ?? []
  }

  const tables: Record<string, TableModel> = {}
  for (const entry of await folder(TABLES_DIR)) {
    if (entry.startsWith('.')) continue
    const path = join(layout.dir, TABLES_DIR, entry)
    const problem = sink(path)
    if (!entry.endsWith('.json')) {
      problem('(top level)', 'not a table file', 'name each table file <table name>.json, or move this one out of tables/')
      continue
    }
    const file = await readValid<TableFile>(path, 'table', problem)
    if (file) tables[file.name] = tableFromFile(file, entry.slice(0, -'.json'.length), problem)
  }

  const projectPath = join(layout.dir, PROJECT_FILE)
  const project = entries.includes(PROJECT_FILE) ? await readValid<ProjectFile>(projectPath, 'project', sink(projectPath)) : undefined
  let settingsReadable = !entries.includes(PROJECT_FILE) || project !== undefined
  let overlay: OverlayFile | undefined
  let overlayPath = join(layout.dir, OVERLAYS_DIR, `${options.kind}.json`)
  for (const entry of await folder(OVERLAYS_DIR)) {
    if (entry.startsWith('.')) continue
    const path = join(layout.dir, OVERLAYS_DIR, entry)
    const kind = entry.replace(/\.json$/, '')
    if (!entry.endsWith('.json') || !(OVERLAY_KINDS as readonly string[]).includes(kind)) {
      sink(path)('(top level)', 'not an overlay', `overlays are per target: name them ${OVERLAY_KINDS.map((k) => `${k}.json`).join(' or ')}`)
      continue
    }
    // Both overlays are checked, so a typo in the other target's file shows before pushing there.
    const file = await readValid<OverlayFile>(path, 'overlay', sink(path))
    if (kind === options.kind) {
      ;[overlay, overlayPath] = [file, path]
      settingsReadable &&= file !== undefined
    }
  }
  // Settings are resolved from valid files only: a broken project.json would otherwise seem to lack its sections.
  const settings = settingsReadable ? settingsFromFiles({ project, overlay, projectProblem: sink(projectPath), overlayProblem: sink(overlayPath), secrets: options.secrets }) : undefined
  if (problems.length) throw new ConfigError(problems)
  return settings ? { tables: sortedByName(tables), settings } : { tables: sortedByName(tables) }
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
    throw error
  }
}

const sortedByName = <T>(map: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]!]))

/** A file parsed and checked against its schema, or undefined after reporting why not. */
async function readValid<T>(path: string, kind: SchemaKind, problem: ProblemSink): Promise<T | undefined> {
  const info = await stat(path)
  if (!info.isFile()) return void problem('(top level)', 'is a directory, not a file', 'move it out of the config folder')
  if (info.size > MAX_FILE_BYTES) return void problem('(top level)', `is ${info.size} bytes, more than the ${MAX_FILE_BYTES} a config file may have`, 'split it, or move large content (seed data) to seed/')
  // note: some editors on Windows start files with a byte order mark, which JSON.parse refuses
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const { line, column } = position(text, (error as Error).message)
    return void problem(`line ${line}:${column}`, `not valid JSON (${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')})`, 'fix the syntax there: quote keys, no trailing commas, no comments')
  }
  if (nestsDeeperThan(value, MAX_DEPTH)) return void problem('(top level)', `nests deeper than ${MAX_DEPTH} levels of objects and arrays`, 'flatten it')
  const validate = await validatorFor(kind)
  if (!validate(value)) {
    for (const line of explain(validate.errors ?? [], value)) problem(line.path, line.message, line.fix)
    return undefined
  }
  return value as T
}

/** Line and column (1-based) of a JSON.parse failure; the end of the text when the message names no position. */
function position(text: string, message: string): { line: number; column: number } {
  const at = Number(/position (\d+)/.exec(message)?.[1] ?? text.length)
  const before = text.slice(0, at).split('\n')
  return { line: before.length, column: before.at(-1)!.length + 1 }
}

function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth > max) return true
    for (const inner of Object.values(current)) stack.push([inner, depth + 1])
  }
  return false
}

/** `/fields/title/0` → `fields.title[0]`; the file itself is `(top level)`. */
function jsonPath(pointer: string, extra?: string): string {
  const segments = [...pointer.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')), ...(extra === undefined ? [] : [extra])]
  let out = ''
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s
  return out || '(top level)'
}

const RESERVED_FIELDS = ['id', '_id', 'createdBy', 'createdAt', 'updatedAt']
/** What a pattern asks for, in words, by the pattern (the schema path is not stable across recursive references). */
const PATTERN_RULES: Record<string, string> = {
  '^(?:[A-Za-z]|_[A-Za-z0-9])[A-Za-z0-9_-]{0,62}$': 'a table name starts with a letter (or _ and a letter or digit), then up to 63 letters, digits, _ or -',
  '^[A-Za-z][A-Za-z0-9_]{0,63}$': 'a field name starts with a letter, then up to 63 letters, digits or _',
  '^[A-Za-z][A-Za-z0-9_-]{0,63}$': 'an index name starts with a letter, then up to 63 letters, digits, _ or -',
  '^https?://[^\\s*]+$': 'write an absolute http(s) URL without wildcards, e.g. https://app.example.com',
  '^https?://\\S+$': 'write an absolute http(s) URL',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'an environment variable name: letters, digits and _, not starting with a digit',
}

/** ajv's errors as problems people can act on; one per problem (ajv repeats some at the parent of a name). */
function explain(errors: ErrorObject[], value: unknown): { path: string; message: string; fix: string }[] {
  const out = new Map<string, { path: string; message: string; fix: string }>()
  const add = (path: string, message: string, fix: string) => out.set(`${path}\u0000${message}`, { path, message, fix })
  for (const e of errors) {
    const name = e.propertyName
    // propertyNames reports the offending name on the error about the name, and once more on its object.
    if (e.keyword === 'propertyNames') continue
    const path = jsonPath(e.instancePath, name)
    const params = e.params as Record<string, unknown>
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty)
        const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).filter((k) => k !== '$schema')
        const near = closest(key, known)
        const field = /^\/fields\/[^/]+$/.test(e.instancePath) ? e.instancePath.split('/')[2] : undefined
        if (key === 'unique' && field) add(jsonPath(e.instancePath, key), 'uniqueness is an index in a table file', `remove it and add { "name": "${field}_unique", "fields": { "${field}": 1 }, "unique": true } to "indexes"`)
        else if (key === 'create' && e.instancePath.endsWith('/permissions/self')) add(jsonPath(e.instancePath, key), 'self has no create permission (a record has no owner before it exists)', 'remove it; who may create is set on user or guest')
        else add(jsonPath(e.instancePath, key), `unknown key "${key}"`, near ? `did you mean "${near}"?` : known.length ? `write one of: ${known.join(', ')}` : 'remove it')
        break
      }
      case 'required':
        add(path, `"${String(params.missingProperty)}" is missing`, `add "${String(params.missingProperty)}"`)
        break
      case 'enum': {
        const given = JSON.stringify(valueAt(value, e.instancePath))
        const allowed = (params.allowedValues as unknown[]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        if (allowed.join() === FIELD_TYPES.join()) add(path, `unknown type ${given}`, `write one of: ${FIELD_TYPES.join(', ')}`)
        else add(path, `${given} is not allowed here`, `write one of: ${allowed.join(', ')}`)
        break
      }
      case 'not':
        if (name && RESERVED_FIELDS.includes(name)) add(path, `"${name}" is a system field every record has`, 'leave it out, or choose another name')
        else if (name) add(path, `"${name}" is the name of a built-in member of every JavaScript object`, `choose another name (e.g. "${name}Value")`)
        break
      case 'pattern':
        if (name) add(path, `"${name}" is not a valid name`, PATTERN_RULES[String(params.pattern)] ?? `match ${String(params.pattern)}`)
        else add(path, `${JSON.stringify(valueAt(value, e.instancePath))} is not valid here`, PATTERN_RULES[String(params.pattern)] ?? `write a value matching ${String(params.pattern)}`)
        break
      case 'type':
        add(path, `must be ${article(String(params.type))}`, `write ${article(String(params.type))}`)
        break
      case 'minimum':
      case 'maximum':
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties':
        add(path, `${JSON.stringify(valueAt(value, e.instancePath))} is out of range: it ${e.message ?? 'is out of range'}`, 'change it to fit')
        break
      default:
        add(path, e.message ?? 'is not valid', 'see docs/config.md for what this file holds')
    }
  }
  return [...out.values()]
}

function article(type: string): string {
  return type
    .split(',')
    .map((t) => ({ object: 'an object', array: 'an array', integer: 'an integer', null: 'null' })[t] ?? `a ${t}`)
    .join(' or ')
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root
  for (const s of pointer.split('/').slice(1)) current = (current as Record<string, unknown> | undefined)?.[s.replaceAll('~1', '/').replaceAll('~0', '~')]
  return current
}
