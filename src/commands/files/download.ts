import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { byteProgress, downloadTarget, interruptSignal } from '../../cli/io/file-transfer.js'
import { formatBytes, formatRate } from '../../ui/format.js'
import { StorageCommand } from '../../cli/io/storage-command.js'

export interface FilesDownloadResult {
  id: string
  /** Where the bytes went; `-` for standard output. */
  path: string
  bytes: number
  contentType: string
}

export default class FilesDownload extends StorageCommand {
  static override summary = "Download a file's bytes"
  static override description = `Asks for a signed download URL (POST /v1/files/:fileId/download-url) and streams the bytes to disk: to PATH, into PATH when it is a directory or ends with / (created when missing), or under the file's own name in the current directory. - writes to standard output. Everything is checked before a byte moves: an existing file is refused unless --force, and so is a parent that is not a directory. The file appears under its name only once complete; an interrupted download leaves nothing behind.`

  static override examples = [
    '<%= config.bin %> files download 65a4f3c2e4b0a1b2c3d4e5f6',
    '<%= config.bin %> files download 65a4f3c2e4b0a1b2c3d4e5f6 ./downloads/',
    '<%= config.bin %> files download 65a4f3c2e4b0a1b2c3d4e5f6 report.pdf --force',
    '<%= config.bin %> files download 65a4f3c2e4b0a1b2c3d4e5f6 - | tar -xz',
  ]

  static override args = {
    fileId: Args.string({ description: 'id of the file', required: true }),
    path: Args.string({ description: 'file or directory (dir/ is created when missing) to write to, or - for standard output (default: the file name, here)' }),
  }

  static override flags = {
    force: Flags.boolean({ description: 'replace the file when it already exists' }),
  }

  async run(): Promise<FilesDownloadResult> {
    const { args, flags } = await this.parse(FilesDownload)
    if (args.path === '-' && this.jsonEnabled()) {
      throw new CliError('--json and downloading to standard output would mix the summary with the bytes', 'download to a file (bkend files download <fileId> <path> --json), or drop --json', 2, 'cli/usage')
    }
    const storage = await this.storage(flags, { connections: 1 })
    const info = await storage.downloadUrl(args.fileId)
    const target = await downloadTarget(args.path, info.filename, flags.force)
    // a terminal on stdout means the bytes are going there; a progress line would garble it
    const progress = await byteProgress(`Downloading ${info.filename}`, info.size, !this.jsonEnabled() && !(args.path === '-' && process.stdout.isTTY))
    const interrupt = interruptSignal()
    const started = performance.now()
    let bytes: number
    try {
      bytes = await storage.downloadTo(info.url, target.stream, { signal: interrupt.signal, onBytes: progress.add, end: target.end })
      await target.commit()
    } catch (error) {
      await target.discard()
      if (interrupt.signal.aborted) throw new CliError(`download of ${args.fileId} interrupted`, 'nothing was written; run the command again', 1, 'cli/interrupted')
      throw error
    } finally {
      interrupt.dispose()
      progress.done()
    }
    if (!this.jsonEnabled()) {
      const where = target.path === '-' ? 'standard output' : target.path
      this.logToStderr(`Downloaded ${info.filename} from env ${this.target!.environment} (${formatBytes(bytes)}, ${formatRate(bytes, performance.now() - started)}) to ${where}.`)
    }
    return { id: args.fileId, path: target.path, bytes, contentType: info.contentType }
  }
}
