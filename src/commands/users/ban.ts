import { Args } from '@oclif/core'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export interface UsersBanResult {
  id: string
  email: string
  banned: true
}

export default class UsersBan extends RuntimeCommand {
  static override summary = 'Ban a user: end their sessions and refuse their sign-ins'
  static override description =
    "Flags a user banned (PATCH /v1/users/:userId with banned: true, admin only). Their sessions end at once; sign-in, refresh and every request with one of their tokens answer 403 auth/account-banned until 'bkend users unban'."

  static override examples = ['<%= config.bin %> users ban 65a4efb1e4b0a1b2c3d4e5f1']

  static override args = { userId: Args.string({ description: 'id of the user', required: true }) }

  async run(): Promise<UsersBanResult> {
    const { args, flags } = await this.parse(UsersBan)
    const runtime = await this.runtime(flags)
    const user = await runtime.users.update(args.userId, { banned: true })
    if (!this.jsonEnabled()) this.log(`${user.email} is banned; their sessions ended${environmentNote(this.target)}.`)
    return { id: user.id, email: user.email, banned: true }
  }
}
