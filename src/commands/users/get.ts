import { Args } from '@oclif/core'
import type { User } from '../../contract/users.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { fieldsFlag } from '../../cli/fields.js'

export type UsersGetResult = User

export default class UsersGet extends RuntimeCommand {
  static override summary = 'Show one user'
  static override description = 'Fetches a user of the environment by id (GET /v1/users/:userId), in the full view.'
  static override examples = ['<%= config.bin %> users get 65a4efb1e4b0a1b2c3d4e5f1', '<%= config.bin %> users get 65a4efb1e4b0a1b2c3d4e5f1 --json']

  static override args = {
    userId: Args.string({ description: 'id of the user (24 hex characters)', required: true }),
  }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<UsersGetResult> {
    const { args, flags } = await this.parse(UsersGet)
    const runtime = await this.runtime(flags)
    const user = await runtime.users.get(args.userId)
    if (!this.jsonEnabled()) printFields(Object.entries(user))
    return user
  }
}
