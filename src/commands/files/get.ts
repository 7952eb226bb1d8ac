import { Args } from '@oclif/core'
import type { FileView } from '../../contract/storage.js'
import { StorageCommand } from '../../cli/io/storage-command.js'
import { printFields } from '../../cli/output.js'
import { fieldsFlag } from '../../cli/fields.js'

export type FilesGetResult = FileView

export default class FilesGet extends StorageCommand {
  static override summary = "Show one file's metadata"
  static override description = 'Fetches a file record by id (GET /v1/files/:fileId): name, type, size, visibility, bucket, storage key, owner and metadata. To fetch the bytes, use `bkend files download`.'
  static override examples = ['<%= config.bin %> files get 65a4f3c2e4b0a1b2c3d4e5f6', '<%= config.bin %> files get 65a4f3c2e4b0a1b2c3d4e5f6 --json']

  static override args = {
    fileId: Args.string({ description: 'id of the file (24 hex characters)', required: true }),
  }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<FilesGetResult> {
    const { args, flags } = await this.parse(FilesGet)
    const storage = await this.storage(flags)
    const file = await storage.get(args.fileId)
    if (!this.jsonEnabled()) printFields(Object.entries(file))
    return file
  }
}
