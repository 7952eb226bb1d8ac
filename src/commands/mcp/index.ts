import { Command, Flags } from '@oclif/core'
import { runMcpBridge } from '../../client/mcp-bridge.js'
import { McpTargetError, resolveMcpTarget } from '../../client/mcp-target.js'
import { DEFAULT_DATA_DIR } from '../../contract/emulator.js'

export default class Mcp extends Command {
  static override summary = 'Serve the bkend MCP tools over stdio for AI tools that launch a command'
  static override description = [
    'Bridges a stdio MCP client (Claude Desktop, Claude Code, Cursor, any MCP host that starts a process) to a bkend MCP server over Streamable HTTP.',
    'By default it targets the emulator running from --data-dir, found through <data-dir>/runtime.json, and authenticates with that emulator\'s tenant token, so no OAuth sign-in is needed; after an emulator restart it reconnects on the next request. Pass --url and --token (or BKEND_ACCESS_TOKEN) to target another server.',
    'stdout carries the MCP protocol; messages go to stderr.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> mcp',
    '<%= config.bin %> mcp --data-dir ./.bkend',
    '<%= config.bin %> mcp --url http://127.0.0.1:4100/mcp --token "$BKEND_ACCESS_TOKEN"',
    'claude mcp add bkend -- npx bkend mcp --data-dir "$PWD/.bkend"',
  ]

  static override flags = {
    'data-dir': Flags.string({ description: 'data directory of the running emulator (holds runtime.json)', default: DEFAULT_DATA_DIR, env: 'BKEND_DATA_DIR' }),
    url: Flags.string({ description: 'MCP endpoint to bridge to instead of the local emulator, e.g. http://127.0.0.1:4100/mcp' }),
    token: Flags.string({ description: 'bearer access token for --url (default: the emulator tenant token)', env: 'BKEND_ACCESS_TOKEN' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp)
    try {
      const resolveTarget = async () => {
        const target = await resolveMcpTarget({ dataDir: flags['data-dir'], url: flags.url, token: flags.token })
        const via = target.source === 'runtime' ? `the emulator of ${flags['data-dir']}` : '--url/--token'
        process.stderr.write(`bkend mcp: bridging stdio to ${target.url} (${via})\n`)
        return target
      }
      await runMcpBridge({ resolveTarget, clientVersion: this.config.version })
    } catch (error) {
      if (error instanceof McpTargetError) this.error(error.message, { exit: 1, suggestions: [error.suggestion] })
      const cause = (error as Error).message
      this.error(`cannot reach the MCP server: ${cause}`, { exit: 1, suggestions: ['check that `bkend dev` is running and that the token is valid (401 means it was revoked or expired)'] })
    }
  }
}
