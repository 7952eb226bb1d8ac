import { Flags } from '@oclif/core'
import type { User } from '../../contract/users.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export type UsersCreateResult = User

export default class UsersCreate extends RuntimeCommand {
  static override summary = 'Create a user'
  static override description = `Adds an end user to the environment (POST /v1/users) with a credentials account. Without --password the user signs in by magic link, social login, or after a password reset. The role defaults to "user".`

  static override examples = [
    '<%= config.bin %> users create --email alice@example.com --name Alice',
    '<%= config.bin %> users create --email ops@example.com --name Ops --role admin --password "$OPS_PASSWORD" --json',
  ]

  static override flags = {
    email: Flags.string({ description: 'email address (stored lower-cased)', required: true }),
    name: Flags.string({ description: 'display name (1–100 characters)', required: true }),
    role: Flags.string({ description: 'admin, user, guest or a custom role name', default: 'user' }),
    password: Flags.string({ description: 'initial password; prefer passing it from an environment variable' }),
  }

  async run(): Promise<UsersCreateResult> {
    const { flags } = await this.parse(UsersCreate)
    const runtime = await this.runtime(flags)
    const user = await runtime.users.create({ email: flags.email, name: flags.name, role: flags.role, password: flags.password })
    if (!this.jsonEnabled()) {
      this.log(`Created user ${user.id} (${user.email})${environmentNote(this.target)}.`)
      printFields(Object.entries(user))
    }
    return user
  }
}
