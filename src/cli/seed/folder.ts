import { dirname, join, resolve } from 'node:path'
import { findLinkedProject } from '../linked-project.js'

/** The config folder's default name, next to the nearest bkend.json (docs/config.md). */
const CONFIG_FOLDER = 'bkend'

/**
 * The seed folder: `--dir` when given, else `seed/` in the config folder, which is `bkend/` next to the nearest
 * bkend.json (or the folder its `"config"` names), else `./bkend`.
 */
export async function seedFolder(dir: string | undefined): Promise<string> {
  if (dir) return resolve(dir)
  const found = await findLinkedProject()
  if (!found) return resolve(CONFIG_FOLDER, 'seed')
  const named = (found.link as { config?: unknown }).config
  return join(dirname(found.path), typeof named === 'string' && named ? named : CONFIG_FOLDER, 'seed')
}
