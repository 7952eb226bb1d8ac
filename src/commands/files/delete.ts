import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { StorageCommand } from '../../cli/io/storage-command.js'
import { environmentNote } from '../../cli/target.js'

export interface FilesDeleteResult {
  id: string
  deleted: true
}

export default class FilesDelete extends StorageCommand {
  static override summary = 'Delete a file'
  static override description = 'Deletes a file record and its bytes for good (DELETE /v1/files/:fileId). Asks first on a terminal; without one, --yes is required.'
  static override examples = ['<%= config.bin %> files delete 65a4f3c2e4b0a1b2c3d4e5f6', '<%= config.bin %> files delete 65a4f3c2e4b0a1b2c3d4e5f6 --yes --json']

  static override args = {
    fileId: Args.string({ description: 'id of the file', required: true }),
  }

  static override flags = {
    yes: yesFlag,
  }

  async run(): Promise<FilesDeleteResult> {
    const { args, flags } = await this.parse(FilesDelete)
    const storage = await this.storage(flags)
    await confirm(`Delete file ${args.fileId} and its bytes from ${this.target!.environment}?`, flags.yes)
    await storage.delete(args.fileId)
    if (!this.jsonEnabled()) this.log(`Deleted file ${args.fileId}${environmentNote(this.target)}.`)
    return { id: args.fileId, deleted: true }
  }
}
