import { Args, Flags } from '@oclif/core'
import { writeGenerated } from '../../cli/generated-file.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'

/** The document itself; with --output, where it was written instead. */
export type TablesOpenapiResult = Record<string, unknown> | { table: string; output: string; written: boolean }

export default class TablesOpenapi extends RuntimeCommand {
  static override summary = "Export a table's OpenAPI document"
  static override description = "The OpenAPI 3 document of the table's REST endpoints (GET /v1/data/:table/openapi), as the target serves it: paths, the record schema and the API key header. Prints it to standard output, or writes it to --output (a file that already holds the same document is left alone). Uses the environment's secret key, like bkend data."
  static override examples = ['<%= config.bin %> tables openapi posts', '<%= config.bin %> tables openapi posts --env staging --output openapi/posts.json']
  static override args = { table: Args.string({ description: 'table name', required: true }) }
  static override flags = { output: Flags.string({ char: 'o', description: 'write the document to this file instead of standard output' }) }

  async run(): Promise<TablesOpenapiResult> {
    const { args, flags } = await this.parse(TablesOpenapi)
    const document = await (await this.runtime(flags)).data.openapi(args.table)
    const text = `${JSON.stringify(document, null, 2)}\n`
    if (flags.output === undefined) {
      if (!this.jsonEnabled()) process.stdout.write(text)
      return document
    }
    const written = (await writeGenerated(flags.output, text)) === 'written'
    if (!this.jsonEnabled()) this.log(`${written ? 'Wrote' : 'Unchanged:'} ${flags.output} (OpenAPI ${String(document.openapi ?? '')} for ${args.table}).`)
    return { table: args.table, output: flags.output, written }
  }
}
