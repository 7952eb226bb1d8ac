import type { CodegenTable } from '../codegen/types.js'
import { configLayout, shownPath } from '../config/layout.js'
import { loadConfig } from '../config/load.js'
import { ConfigError } from '../config/problems.js'
import { CliError } from './errors.js'
import { findLinkedProject } from './linked-project.js'

/** The tables a config folder declares (the one bkend.json names, else `bkend/` beside it, else `./bkend`). */
export async function configTables(cwd: string): Promise<{ folder: string; tables: CodegenTable[] }> {
  const found = await findLinkedProject(cwd)
  const layout = configLayout(cwd, found && { path: found.path, config: found.link.config })
  try {
    // note: tables are the same for every target, so whose overlay applies changes nothing here
    const model = await loadConfig(layout, { kind: 'local', cwd })
    const tables = Object.values(model.tables).map((t) => ({ name: t.name, schema: t.schema, displayName: t.displayName, description: t.description }))
    return { folder: shownPath(cwd, layout.dir), tables }
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 'fix the files named above, then run the command again', 1, error.code)
    throw error
  }
}
