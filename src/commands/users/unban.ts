import { Args } from '@oclif/core'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export interface UsersUnbanResult {
  id: string
  email: string
  banned: false
}

export default class UsersUnban extends RuntimeCommand {
  static override summary = 'Lift the ban on a user'
  static override description = 'Lets a banned user sign in again (PATCH /v1/users/:userId with banned: false, admin only). Tokens from before the ban stay invalid.'

  static override examples = ['<%= config.bin %> users unban 65a4efb1e4b0a1b2c3d4e5f1']

  static override args = { userId: Args.string({ description: 'id of the user', required: true }) }

  async run(): Promise<UsersUnbanResult> {
    const { args, flags } = await this.parse(UsersUnban)
    const runtime = await this.runtime(flags)
    const user = await runtime.users.update(args.userId, { banned: false })
    if (!this.jsonEnabled()) this.log(`${user.email} may sign in again${environmentNote(this.target)}.`)
    return { id: user.id, email: user.email, banned: false }
  }
}
