import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { metadataFromPairs } from '../../cli/io/file-metadata.js'
import { StorageCommand } from '../../cli/io/storage-command.js'
import { printFields } from '../../cli/output.js'
import { readJsonFile } from '../../cli/table-input.js'
import type { FileChanges } from '../../client/storage.js'
import { VISIBILITIES, type FileView } from '../../contract/storage.js'

export type FilesUpdateResult = FileView

export default class FilesUpdate extends StorageCommand {
  static override summary = "Change a file's visibility or metadata"
  static override description = [
    'One PATCH /v1/files/:fileId: both changes apply, or neither. Metadata is merged key by key into what is stored; a key set to null is removed.',
    '--metadata takes key=value (repeatable); a value that is JSON (42, true, null, ["a","b"], {"k":"v"}) is taken as such, anything else as text. --metadata-file takes a JSON object from a file, - for standard input, or inline.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> files update 65a4f3c2e4b0a1b2c3d4e5f6 --visibility public',
    '<%= config.bin %> files update 65a4f3c2e4b0a1b2c3d4e5f6 --metadata alt="Profile photo" --metadata tags=\'["avatar"]\' --metadata description=null',
    '<%= config.bin %> files update 65a4f3c2e4b0a1b2c3d4e5f6 --metadata-file meta.json --json',
  ]
  static override args = { fileId: Args.string({ description: 'id of the file', required: true }) }
  static override flags = {
    visibility: Flags.string({ description: 'who may see the file', options: [...VISIBILITIES] }),
    metadata: Flags.string({ description: 'a metadata key=value to set (repeatable; key=null removes it)', multiple: true, multipleNonGreedy: true, exclusive: ['metadata-file'] }),
    'metadata-file': Flags.string({ description: 'metadata to merge, as a JSON object: a file path, - for standard input, or inline JSON' }),
  }

  async run(): Promise<FilesUpdateResult> {
    const { args, flags } = await this.parse(FilesUpdate)
    const changes: FileChanges = {}
    if (flags.visibility !== undefined) changes.visibility = flags.visibility
    if (flags.metadata) changes.metadata = metadataFromPairs(flags.metadata)
    if (flags['metadata-file'] !== undefined) changes.metadata = await metadataObject(flags['metadata-file'])
    if (Object.keys(changes).length === 0) throw new CliError('nothing to change', 'give --visibility, --metadata or --metadata-file', 2, 'cli/usage')
    const file = await (await this.storage(flags)).update(args.fileId, changes)
    if (!this.jsonEnabled()) printFields(Object.entries(file))
    return file
  }
}

async function metadataObject(source: string): Promise<Record<string, unknown>> {
  const value = await readJsonFile(source)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError('--metadata-file must hold a JSON object', 'e.g. {"alt": "Profile photo", "tags": ["avatar"]}', 2, 'cli/usage')
  return value as Record<string, unknown>
}
