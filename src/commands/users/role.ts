import { Args } from '@oclif/core'
import type { User } from '../../contract/users.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export type UsersRoleResult = User

export default class UsersRole extends RuntimeCommand {
  static override summary = "Set a user's role"
  static override description = `Changes a user's role (PATCH /v1/users/:userId/role): admin, user, guest, or a custom role name matching ^[a-z][a-z0-9_-]{0,31}$ (custom roles act as "user" for boolean permissions and match role:<name> in expressions). It takes effect on the user's next request.`

  static override examples = ['<%= config.bin %> users role 65a4efb1e4b0a1b2c3d4e5f1 admin', '<%= config.bin %> users role 65a4efb1e4b0a1b2c3d4e5f1 moderator --json']

  static override args = {
    userId: Args.string({ description: 'id of the user', required: true }),
    role: Args.string({ description: 'the new role', required: true }),
  }

  async run(): Promise<UsersRoleResult> {
    const { args, flags } = await this.parse(UsersRole)
    const runtime = await this.runtime(flags)
    const user = await runtime.users.setRole(args.userId, args.role)
    if (!this.jsonEnabled()) this.log(`${user.email} is now ${user.role}${environmentNote(this.target)}.`)
    return user
  }
}
