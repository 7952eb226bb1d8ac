import { join } from 'node:path'
import { SEED_DIR } from '../../config/layout.js'
import { findConfigLayout } from '../project-config.js'

/** The seed folder: `seed/` in the config folder, `--dir` or what docs/config.md says (as pull, diff and push find it). */
export async function seedFolder(dir: string | undefined): Promise<string> {
  return join((await findConfigLayout(dir)).dir, SEED_DIR)
}
