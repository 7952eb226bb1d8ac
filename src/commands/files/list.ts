import { Flags } from '@oclif/core'
import type { Page } from '../../contract/common.js'
import { BUCKETS, OWNER_TYPES, VISIBILITIES, type FileView } from '../../contract/storage.js'
import { parseSort } from '../../cli/io/list-query.js'
import { StorageCommand } from '../../cli/io/storage-command.js'
import { columnsFlag, pageLine } from '../../cli/output.js'
import { printFiles } from '../../cli/render.js'
import { fieldsFlag } from '../../cli/fields.js'
import { environmentNote } from '../../cli/target.js'

export type FilesListResult = Page<FileView>

export default class FilesList extends StorageCommand {
  static override summary = "List the environment's files"
  static override description = `One page of file records (GET /v1/files), newest first unless --sort says otherwise. With the environment's secret key every file is visible; the filters narrow the page. --mime-type takes an exact type or a family (image/*); --search matches the original file name case-insensitively.`

  static override examples = [
    '<%= config.bin %> files list',
    '<%= config.bin %> files list --visibility public --mime-type "image/*" --sort size:desc',
    '<%= config.bin %> files list --bucket documents --search invoice --page 2 --json',
  ]

  static override flags = {
    visibility: Flags.string({ description: 'only files with this visibility', options: [...VISIBILITIES] }),
    bucket: Flags.string({ description: 'only files in this bucket', options: [...BUCKETS] }),
    'mime-type': Flags.string({ description: 'only files of this MIME type, or family such as image/*' }),
    search: Flags.string({ description: 'case-insensitive substring of the original file name' }),
    'owner-id': Flags.string({ description: 'only files owned by this user (or service key) id' }),
    'owner-type': Flags.string({ description: 'only files with this owner type', options: [...OWNER_TYPES] }),
    sort: Flags.string({ description: 'createdAt, updatedAt, originalName, size or mimeType, with :asc or :desc (default createdAt:desc)' }),
    page: Flags.integer({ description: 'page number', min: 1, default: 1 }),
    limit: Flags.integer({ description: 'files per page (1–100)', min: 1, max: 100, default: 20 }),
    columns: columnsFlag,
    fields: fieldsFlag('items'),
  }

  async run(): Promise<FilesListResult> {
    const { flags } = await this.parse(FilesList)
    const storage = await this.storage(flags)
    const result = await storage.list({
      page: flags.page,
      limit: flags.limit,
      visibility: flags.visibility,
      bucket: flags.bucket,
      mimeType: flags['mime-type'],
      search: flags.search,
      ownerId: flags['owner-id'],
      ownerType: flags['owner-type'],
      ...parseSort(flags.sort),
    })
    if (!this.jsonEnabled()) {
      await printFiles(result.items, flags.columns)
      this.log(pageLine(result.pagination, 'file') + environmentNote(this.target))
    }
    return result
  }
}
