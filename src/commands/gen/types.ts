import { Flags } from '@oclif/core'
import { configTables } from '../../cli/codegen-source.js'
import { CliError } from '../../cli/errors.js'
import { compareGenerated, writeGenerated } from '../../cli/generated-file.js'
import { ManagementCommand } from '../../cli/management-command.js'
import type { TargetFlagValues } from '../../cli/target.js'
import { generateTypes, regenerateCommand, type CodegenTable } from '../../codegen/types.js'

export const DEFAULT_TYPES_FILE = 'bkend-types.ts'

export interface GenTypesResult {
  /** The file as given (relative paths stay relative). */
  file: string
  /** Where the tables came from: an environment of the target, or the config folder (as shown, relative). */
  from: { environment: string } | { config: string }
  /** The tables the file has types for, in the order it declares them. */
  tables: string[]
  client: boolean
  /** `written`/`unchanged` when generating; `up-to-date` under --check (a stale file is an error). */
  status: 'written' | 'unchanged' | 'up-to-date'
}

export default class GenTypes extends ManagementCommand {
  static override summary = 'Generate TypeScript types (and a typed client) for the tables of an environment'
  static override description = [
    'Reads every table of the selected environment over MCP (or of the config folder, with --from-config) and writes',
    'one TypeScript file: for each table the record the API returns (with id, createdBy, createdAt, updatedAt), the',
    'create input and the update input; enums become unions of literals, references the target table’s id type;',
    'plus the User and file objects. With --client the file also holds a dependency-free client over fetch. The',
    'output depends only on the tables, so --check can tell in CI whether the committed file is stale (exit 1).',
  ].join(' ')
  static override examples = [
    '<%= config.bin %> gen types',
    '<%= config.bin %> gen types --client --out src/bkend.ts',
    '<%= config.bin %> gen types --client --out src/bkend.ts --check --env staging',
    '<%= config.bin %> gen types --from-config --client --out src/bkend.ts',
  ]

  static override flags = {
    out: Flags.string({ description: 'file to write', default: DEFAULT_TYPES_FILE }),
    client: Flags.boolean({ description: 'also write a typed client over fetch (list, get, create, update, delete per table)', default: false }),
    check: Flags.boolean({ description: 'write nothing; exit 1 when the file differs from what would be written', default: false }),
    'from-config': Flags.boolean({ description: 'read the tables from the config folder (bkend/) instead of an environment', default: false }),
  }

  async run(): Promise<GenTypesResult> {
    const { flags } = await this.parse(GenTypes)
    const source = flags['from-config'] ? await this.fromConfig() : await this.fromEnvironment(flags)
    const text = generateTypes(source.tables, { client: flags.client })
    const result = { file: flags.out, from: source.from, tables: source.tables.map((t) => t.name).sort(), client: flags.client }
    if (flags.check) {
      const state = await compareGenerated(flags.out, text)
      if (state !== 'same') throw await stale(state, flags, source)
      if (!this.jsonEnabled()) this.log(`${flags.out} is up to date (${count(source.tables.length)}).`)
      return { ...result, status: 'up-to-date' }
    }
    const status = await writeGenerated(flags.out, text)
    if (!this.jsonEnabled()) this.log(`${status === 'written' ? 'Wrote' : 'Unchanged:'} ${flags.out}: ${count(source.tables.length)}${flags.client ? ', with the client' : ''}.`)
    return { ...result, status }
  }

  private async fromEnvironment(flags: TargetFlagValues): Promise<Source> {
    const management = await this.management(flags)
    const tables = (await management.listTables()).map((t) => ({ name: t.tableName, schema: t.schema, displayName: t.displayName, description: t.description }))
    return { tables, from: { environment: management.mcp.context.env } }
  }

  private async fromConfig(): Promise<Source> {
    const { folder, tables } = await configTables(process.cwd())
    return { tables, from: { config: folder } }
  }
}

interface Source {
  tables: CodegenTable[]
  from: GenTypesResult['from']
}

/** Why --check fails, and the command that makes the file current. */
async function stale(state: 'differs' | 'missing', flags: { out: string; client: boolean; env?: string; 'from-config': boolean }, source: Source): Promise<CliError> {
  const where = flags['from-config'] ? ' --from-config' : flags.env ? ` --env ${flags.env}` : ''
  const command = (client: boolean) => `${regenerateCommand({ client })}${flags.out === DEFAULT_TYPES_FILE ? '' : ` --out ${flags.out}`}${where}`
  // current, but for the other --client choice: the flags differ, not the tables
  if (state === 'differs' && (await compareGenerated(flags.out, generateTypes(source.tables, { client: !flags.client }))) === 'same') {
    return new CliError(`${flags.out} was generated ${flags.client ? 'without' : 'with'} --client`, `check it with \`${command(!flags.client)} --check\`, or run \`${command(flags.client)}\` to switch`, 1, 'gen/stale')
  }
  const against = 'environment' in source.from ? `environment "${source.from.environment}"` : `the config folder ${source.from.config}`
  const what = state === 'missing' ? 'does not exist' : `is out of date with the tables of ${against}`
  return new CliError(`${flags.out} ${what}`, `run \`${command(flags.client)}\` and commit the result`, 1, 'gen/stale')
}

function count(n: number): string {
  return n === 1 ? '1 table' : `${n} tables`
}
