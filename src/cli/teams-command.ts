import { Flags } from '@oclif/core'
import { Teams } from '../client/teams.js'
import { ManagementCommand } from './management-command.js'
import type { TargetFlagValues } from './target.js'

/** `--org` of the member and invitation commands. */
export const orgFlag = Flags.string({ description: 'organization id or slug (default: the one the session is bound to)' })

/** Base of `bkend orgs …` commands that manage organizations, members, invitations and the activity log. */
export abstract class TeamsCommand extends ManagementCommand {
  protected async teams(flags: TargetFlagValues): Promise<Teams> {
    return new Teams(await this.management(flags))
  }
}
