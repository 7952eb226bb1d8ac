import { Flags } from '@oclif/core'
import type { Page } from '../../contract/common.js'
import type { User } from '../../contract/users.js'
import { parseSort } from '../../cli/io/list-query.js'
import { columnsFlag, pageLine } from '../../cli/output.js'
import { printUsers } from '../../cli/render.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'
import { fieldsFlag } from '../../cli/fields.js'

export type UsersListResult = Page<User>

export default class UsersList extends RuntimeCommand {
  static override summary = "List the environment's users"
  static override description = `Pages through the end users of the environment the secret key belongs to (GET /v1/users), with the full view: email, role, verification state. Search matches name, nickname and email case-insensitively.`

  static override examples = [
    '<%= config.bin %> users list',
    '<%= config.bin %> users list --search alice --sort createdAt:desc --limit 50',
    '<%= config.bin %> users list --page 2 --json',
  ]

  static override flags = {
    page: Flags.integer({ description: 'page number', min: 1, default: 1 }),
    limit: Flags.integer({ description: 'users per page (1–100)', min: 1, max: 100, default: 20 }),
    search: Flags.string({ description: 'case-insensitive substring of name, nickname or email' }),
    'search-field': Flags.string({ description: 'restrict --search to one field', options: ['name', 'nickname', 'email'], dependsOn: ['search'] }),
    sort: Flags.string({ description: 'createdAt, updatedAt, name, email or role, with :asc or :desc (default createdAt:desc)' }),
    columns: columnsFlag,
    fields: fieldsFlag('items'),
  }

  async run(): Promise<UsersListResult> {
    const { flags } = await this.parse(UsersList)
    const runtime = await this.runtime(flags)
    const sort = parseSort(flags.sort)
    const result = await runtime.users.list({ page: flags.page, limit: flags.limit, search: flags.search, searchType: flags['search-field'], ...sort })
    if (!this.jsonEnabled()) {
      await printUsers(result.items, flags.columns)
      this.log(pageLine(result.pagination, 'user') + environmentNote(this.target))
    }
    return result
  }
}
