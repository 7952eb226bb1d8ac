import { Flags } from '@oclif/core'
import { configLayout, type ConfigLayout } from '../config/layout.js'
import type { OverlayKind } from '../config/project-file.js'
import { findLinkedProject } from './linked-project.js'
import type { TargetContext } from './target.js'

/** `--dir`: the config folder, for every command that reads or writes it (pull, diff, push, seed, dev exec). */
export const configDirFlag = Flags.string({ description: 'config folder (default: what bkend.json names as "config", else bkend/ beside bkend.json, else ./bkend)', helpGroup: 'CONFIG' })

/** The config folder and project root for this directory: --dir, else what the nearest bkend.json says. */
export async function findConfigLayout(dir: string | undefined, cwd = process.cwd()): Promise<ConfigLayout> {
  const found = await findLinkedProject(cwd)
  return configLayout(cwd, found ? { path: found.path, config: found.link.config } : undefined, dir)
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whose overlay applies to a target: `local` for the emulator (also one reached by a loopback URL, as `dev exec`
 * hands out), `cloud` for everything else.
 */
export function overlayKindOf(context: Pick<TargetContext, 'kind' | 'mcpUrl'>): OverlayKind {
  if (context.kind === 'local') return 'local'
  if (context.kind === 'cloud') return 'cloud'
  return LOOPBACK.has(new URL(context.mcpUrl).hostname) ? 'local' : 'cloud'
}
