import { Args, Flags } from '@oclif/core'
import { contentTypeFor } from '../../client/content-type.js'
import { BUCKETS, CATEGORIES, VISIBILITIES, type FileView } from '../../contract/storage.js'
import { CliError } from '../../cli/errors.js'
import { byteProgress, interruptSignal, uploadSource } from '../../cli/io/file-transfer.js'
import { parseJsonFlag } from '../../cli/io/list-query.js'
import { formatBytes, formatRate } from '../../ui/format.js'
import { StorageCommand } from '../../cli/io/storage-command.js'
import { printFields } from '../../cli/output.js'
import { transferFlags, transferSettings } from '../../cli/io/transfer-flags.js'

export type FilesUploadResult = FileView

export default class FilesUpload extends StorageCommand {
  static override summary = 'Upload a file'
  static override description = `Streams a file from disk to a signed storage URL and registers it (POST /v1/files), the way an app's server would. Files up to --multipart-threshold (default 64 MiB) go in one PUT; larger ones as a multipart upload of --part-size parts (default 16 MiB), --concurrency at a time. A failed or interrupted multipart upload is aborted on the server. The content type is guessed from the extension unless --content-type is given.`

  static override examples = [
    '<%= config.bin %> files upload ./avatar.png --visibility public --category images',
    '<%= config.bin %> files upload ./backup.tar.gz --category backups --part-size 32M --concurrency 8',
    '<%= config.bin %> files upload ./report.bin --content-type application/pdf --name report.pdf --metadata \'{"tags":["q3"]}\' --json',
  ]

  static override args = {
    path: Args.string({ description: 'file to upload', required: true }),
  }

  static override flags = {
    visibility: Flags.string({ description: 'who may see the file', options: [...VISIBILITIES], default: 'private' }),
    category: Flags.string({ description: 'upload category; also picks the default bucket', options: [...CATEGORIES] }),
    bucket: Flags.string({ description: 'bucket to register the file in (default: from --category, else files)', options: [...BUCKETS] }),
    'content-type': Flags.string({ description: 'MIME type (default: guessed from the extension, else application/octet-stream)' }),
    name: Flags.string({ description: 'file name to store (default: the name of the file on disk)' }),
    metadata: Flags.string({ description: 'metadata as a JSON object: tags, description, alt, relatedEntityId, custom, …' }),
    ...transferFlags,
  }

  async run(): Promise<FilesUploadResult> {
    const { args, flags } = await this.parse(FilesUpload)
    const metadata = parseJsonFlag('metadata', flags.metadata, 'object') as Record<string, unknown> | undefined
    const settings = transferSettings(flags)
    const source = await uploadSource(args.path)
    const name = flags.name ?? source.name
    const storage = await this.storage(flags, { connections: settings.concurrency })
    const progress = await byteProgress(`Uploading ${name}`, source.size, !this.jsonEnabled())
    const interrupt = interruptSignal()
    const started = performance.now()
    let outcome
    try {
      outcome = await storage.upload({
        path: args.path,
        size: source.size,
        name,
        contentType: flags['content-type'] ?? contentTypeFor(name),
        visibility: flags.visibility,
        category: flags.category,
        bucket: flags.bucket,
        metadata,
        ...settings,
        signal: interrupt.signal,
        onBytes: progress.add,
      })
    } catch (error) {
      if (!interrupt.signal.aborted) throw error
      const multipart = source.size > settings.multipartThreshold
      throw new CliError(`upload of ${args.path} interrupted`, multipart ? 'the multipart upload was aborted on the server; run the command again' : 'nothing was registered; run the command again', 1, 'cli/interrupted')
    } finally {
      interrupt.dispose()
      progress.done()
    }
    if (!this.jsonEnabled()) {
      const how = outcome.mode === 'multipart' ? `multipart, ${outcome.parts} parts` : 'single PUT'
      this.logToStderr(`Uploaded ${args.path} (${formatBytes(source.size)}, ${how}, ${formatRate(source.size, performance.now() - started)}) as file ${outcome.file.id} in env ${this.target!.environment}.`)
      printFields(Object.entries(outcome.file))
    }
    return outcome.file
  }
}
