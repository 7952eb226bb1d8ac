/**
 * ProjectModel → config files. Deterministic: the same model gives the same bytes (2-space JSON, trailing newline,
 * the schema's key order, sorted where order means nothing), and each file is replaced atomically (temp + rename).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SOCIAL_PROVIDERS, type SocialProvider } from '../contract/auth-settings.js'
import { OVERLAYS_DIR, PROJECT_FILE, schemaRef, TABLES_DIR, type ConfigLayout } from './layout.js'
import type { ProjectModel } from './model.js'
import { settingsToFiles, type OverlayFile, type OverlayKind, type ProjectFile, type SecretRef } from './project-file.js'
import { tableToFile } from './table-file.js'

export type FileChange = 'created' | 'changed' | 'removed' | 'unchanged'

export interface WrittenFile {
  /** Absolute path. */
  path: string
  change: FileChange
}

/** A file the writer would write (text) or remove (null), with what that changes. */
export interface PendingFile extends WrittenFile {
  text: string | null
}

/** The JSON text of a config file. */
export const configJson = (value: unknown): string => JSON.stringify(value, null, 2) + '\n'

/**
 * What writing the model into the folder for one target kind would do, without writing: every table file (and the
 * removal of files of tables that no longer exist, only inside `tables/`), project.json and `overlays/<kind>.json`.
 * Settings the model leaves unmanaged keep what the files said, and provider secret references are carried over
 * (live state never returns secrets).
 */
export async function planConfigWrite(layout: ConfigLayout, model: ProjectModel, kind: OverlayKind): Promise<PendingFile[]> {
  const out = new Map<string, string | null>()
  const tablesDir = join(layout.dir, TABLES_DIR)
  for (const name of Object.keys(model.tables).sort()) {
    const path = join(tablesDir, `${name}.json`)
    out.set(path, configJson(tableToFile(model.tables[name]!, schemaRef(layout, path, 'table'))))
  }
  for (const entry of await entries(tablesDir)) if (entry.endsWith('.json') && !out.has(join(tablesDir, entry))) out.set(join(tablesDir, entry), null)

  const projectPath = join(layout.dir, PROJECT_FILE)
  const overlayPath = join(layout.dir, OVERLAYS_DIR, `${kind}.json`)
  const previousProject = await readJson<ProjectFile>(projectPath)
  const previousOverlay = await readJson<OverlayFile>(overlayPath)
  const settings = model.settings ?? {}
  const { project, overlay } = settingsToFiles(settings, secretRefs(previousProject, previousOverlay))
  // A part the model does not manage keeps what the file said; cors goes to the overlay, so project.json's stays.
  const projectOut = defined({ auth: settings.auth ? project.auth : previousProject?.auth, email: settings.email ? project.email : previousProject?.email, cors: previousProject?.cors })
  const overlayOut = defined({ auth: settings.auth ? overlay.auth : previousOverlay?.auth, cors: settings.cors ? overlay.cors : previousOverlay?.cors })
  if (Object.keys(projectOut).length || previousProject) out.set(projectPath, configJson({ $schema: schemaRef(layout, projectPath, 'project'), ...projectOut }))
  if (Object.keys(overlayOut).length || previousOverlay) out.set(overlayPath, configJson({ $schema: schemaRef(layout, overlayPath, 'overlay'), ...overlayOut }))

  const pending: PendingFile[] = []
  for (const [path, text] of [...out].sort(([a], [b]) => (a < b ? -1 : 1))) pending.push({ path, text, change: changeOf(await readFile(path, 'utf8').catch(() => undefined), text) })
  return pending
}

/** Writes what planConfigWrite planned, each file atomically (temp + rename). */
export async function applyConfigWrite(pending: readonly PendingFile[]): Promise<WrittenFile[]> {
  for (const file of pending) {
    if (file.change === 'unchanged') continue
    if (file.text === null) {
      await rm(file.path, { force: true })
      continue
    }
    await mkdir(dirname(file.path), { recursive: true })
    const temp = `${file.path}.${process.pid}.tmp`
    await writeFile(temp, file.text)
    await rename(temp, file.path)
  }
  return pending.map(({ path, change }) => ({ path, change }))
}

/** Writes the model into the folder (planConfigWrite, then applyConfigWrite). */
export async function writeConfig(layout: ConfigLayout, model: ProjectModel, kind: OverlayKind): Promise<WrittenFile[]> {
  return applyConfigWrite(await planConfigWrite(layout, model, kind))
}

const defined = <T extends object>(value: T): Partial<T> => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [])
}

/** A previous file as JSON, or undefined when absent or unreadable (it is rewritten either way). */
async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined
  } catch {
    return undefined
  }
}

function secretRefs(project: ProjectFile | undefined, overlay: OverlayFile | undefined): Partial<Record<SocialProvider, SecretRef>> {
  const refs: Partial<Record<SocialProvider, SecretRef>> = {}
  for (const p of SOCIAL_PROVIDERS) {
    const ref = overlay?.auth?.providers?.[p]?.clientSecret ?? project?.auth?.providers?.[p]?.clientSecret
    if (ref && typeof ref.env === 'string') refs[p] = { env: ref.env }
  }
  return refs
}

function changeOf(before: string | undefined, text: string | null): FileChange {
  if (text === null) return before === undefined ? 'unchanged' : 'removed'
  return before === text ? 'unchanged' : before === undefined ? 'created' : 'changed'
}
