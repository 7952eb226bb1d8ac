import { join, resolve } from 'node:path'
import { SEED_DIR } from '../../config/layout.js'
import { findConfigLayout } from '../project-config.js'

/** The seed folder: `--dir` when given, else `seed/` in the config folder (docs/config.md says how that is found). */
export async function seedFolder(dir: string | undefined): Promise<string> {
  if (dir) return resolve(dir)
  return join((await findConfigLayout(undefined)).dir, SEED_DIR)
}
