import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { mcpAuth } from '../../cli/connect.js'
import { resolveTargetContext, targetFlags } from '../../cli/target.js'
import { runMcpBridge, type BridgeTarget } from '../../client/mcp-bridge.js'

export default class Mcp extends BaseCommand {
  static override summary = 'Serve the bkend MCP tools over stdio for AI tools that launch a command'
  static override description = [
    'Bridges a stdio MCP client (Claude Desktop, Claude Code, Cursor, any MCP host that starts a process) to a bkend MCP server over Streamable HTTP.',
    "It finds the server like every other command: --target, --profile and the directory's bkend.json, defaulting to the emulator running from --data-dir (found through <data-dir>/runtime.json) with that emulator's tenant token, so no sign-in is needed; after an emulator restart it reconnects on the next request. Other targets authenticate with --token, BKEND_ACCESS_TOKEN, or the login stored by 'bkend login'.",
    'stdout carries the MCP protocol; messages go to stderr.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> mcp',
    '<%= config.bin %> mcp --data-dir ./.bkend',
    '<%= config.bin %> mcp --target cloud',
    '<%= config.bin %> mcp --target http://127.0.0.1:4100 --token "$BKEND_ACCESS_TOKEN"',
    'claude mcp add bkend -- npx bkend mcp --data-dir "$PWD/.bkend"',
  ]

  static override baseFlags = { target: targetFlags.target, 'data-dir': targetFlags['data-dir'], profile: targetFlags.profile }
  static override flags = {
    url: Flags.string({ description: 'the same as --target <url>', hidden: true, exclusive: ['target'] }),
    token: Flags.string({ description: 'bearer access token for the target (default: the emulator tenant token, BKEND_ACCESS_TOKEN, or the stored login)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Mcp)
    const resolveTarget = async (): Promise<BridgeTarget> => {
      const context = await resolveTargetContext({ ...flags, target: flags.url ?? flags.target })
      const auth = await mcpAuth(context, flags.token)
      const via = context.kind === 'local' ? `the emulator of ${context.dataDir}` : context.target
      process.stderr.write(`bkend mcp: bridging stdio to ${context.mcpUrl} (${via})\n`)
      return { endpoint: context, auth }
    }
    await runMcpBridge({ resolveTarget, clientVersion: this.config.version })
  }
}
