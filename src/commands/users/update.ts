import { Args, Flags } from '@oclif/core'
import type { User } from '../../contract/users.js'
import { CliError } from '../../cli/errors.js'
import { parseJsonFlag } from '../../cli/io/list-query.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export type UsersUpdateResult = User

export default class UsersUpdate extends RuntimeCommand {
  static override summary = "Change a user's name or profile"
  static override description = `Updates a user (PATCH /v1/users/:userId): the name and any profile field. Flags set single fields; --data takes a JSON object for everything else (socialLinks, or null to clear a field). Flags win over --data.`

  static override examples = [
    '<%= config.bin %> users update 65a4efb1e4b0a1b2c3d4e5f1 --name "Alice Liddell"',
    '<%= config.bin %> users update 65a4efb1e4b0a1b2c3d4e5f1 --data \'{"nickname":null,"socialLinks":{"github":"alice"}}\'',
  ]

  static override args = {
    userId: Args.string({ description: 'id of the user', required: true }),
  }

  static override flags = {
    name: Flags.string({ description: 'display name' }),
    nickname: Flags.string({ description: 'nickname (1–50 characters)' }),
    mobile: Flags.string({ description: 'phone number in E.164 form (+821012345678)' }),
    gender: Flags.string({ description: 'gender', options: ['none', 'male', 'female', 'etc'] }),
    bio: Flags.string({ description: 'short biography (up to 500 characters)' }),
    data: Flags.string({ description: 'further fields as a JSON object' }),
  }

  async run(): Promise<UsersUpdateResult> {
    const { args, flags } = await this.parse(UsersUpdate)
    const { data, name, nickname, mobile, gender, bio } = flags
    const named = Object.fromEntries(Object.entries({ name, nickname, mobile, gender, bio }).filter(([, v]) => v !== undefined))
    const body = { ...(parseJsonFlag('data', data, 'object') as object | undefined), ...named }
    if (Object.keys(body).length === 0) throw new CliError('nothing to update', 'pass --name, --nickname, --mobile, --gender, --bio or --data', 2, 'cli/usage')
    const runtime = await this.runtime(flags)
    const user = await runtime.users.update(args.userId, body)
    if (!this.jsonEnabled()) {
      printFields(Object.entries(user))
      this.log(`\nUpdated user ${user.id}${environmentNote(this.target)}.`)
    }
    return user
  }
}
