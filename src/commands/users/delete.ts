import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export interface UsersDeleteResult {
  id: string
  deleted: true
}

export default class UsersDelete extends RuntimeCommand {
  static override summary = 'Delete a user'
  static override description = `Deletes a user (DELETE /v1/users/:userId) with the effects of account withdrawal: sessions end and linked accounts go. Asks first on a terminal; without one, --yes is required.`

  static override examples = ['<%= config.bin %> users delete 65a4efb1e4b0a1b2c3d4e5f1', '<%= config.bin %> users delete 65a4efb1e4b0a1b2c3d4e5f1 --yes --json']

  static override args = {
    userId: Args.string({ description: 'id of the user', required: true }),
  }

  static override flags = {
    yes: yesFlag,
  }

  async run(): Promise<UsersDeleteResult> {
    const { args, flags } = await this.parse(UsersDelete)
    const runtime = await this.runtime(flags)
    await confirm(`Delete user ${args.userId} from ${this.target!.environment}?`, flags.yes)
    await runtime.users.delete(args.userId)
    if (!this.jsonEnabled()) this.log(`Deleted user ${args.userId}${environmentNote(this.target)}.`)
    return { id: args.userId, deleted: true }
  }
}
