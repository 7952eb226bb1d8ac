import { Management } from '../client/management.js'
import type { McpConnection } from '../client/mcp-connection.js'
import { BaseCommand } from './base-command.js'
import { openMcp } from './connect.js'
import { resolveTargetContext, targetFlags, type TargetContext, type TargetFlagValues } from './target.js'

/**
 * Base of the management commands (orgs, projects, envs, tables, keys): the target flags, one MCP session for the
 * resolved target, closed when the command ends (which also ends the server-side session).
 */
export abstract class ManagementCommand extends BaseCommand {
  static override enableJsonFlag = true
  static override baseFlags = targetFlags

  private connection: McpConnection | undefined
  private readonly others: McpConnection[] = []
  protected context: TargetContext | undefined

  /** The management service for the target, project and environment the flags select. */
  protected async management(flags: TargetFlagValues): Promise<Management> {
    this.context = await resolveTargetContext(flags)
    this.connection = await openMcp(this.context, this.config.version)
    return new Management(this.connection)
  }

  /** The management service for another environment of the same target and project (after `management()`). */
  protected async managementIn(env: string): Promise<Management> {
    const connection = await openMcp({ ...this.context!, env }, this.config.version)
    this.others.push(connection)
    return new Management(connection)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await Promise.all(this.others.map((c) => c.close()))
    await this.connection?.close()
    return super.finally(error)
  }
}
