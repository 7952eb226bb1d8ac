import { nodeFiles, type StoreFiles, type WriteFile } from '../../src/emulator/store/store.js'

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected disk failure`), { code })
}

/**
 * The real file layer with a switch: while `journal` names an errno, each journal write puts half its bytes on
 * disk and then fails with it (as a disk filling up mid-write does); while `snapshot` names one, a snapshot's
 * chunk write puts half its bytes in the temp file and fails.
 */
export class FailingFiles implements StoreFiles {
  journal: string | null = null
  snapshot: string | null = null
  journalFailures = 0
  snapshotFailures = 0

  async openAppend(path: string) {
    const file = await nodeFiles.openAppend(path)
    return {
      write: this.failing(file, 'journal'),
      datasync: () => file.datasync(),
      truncate: (length: number) => file.truncate(length),
      close: () => file.close(),
    }
  }

  async openWrite(path: string) {
    const file = await nodeFiles.openWrite(path)
    return { write: this.failing(file, 'snapshot'), sync: () => file.sync(), close: () => file.close() }
  }

  /** `file.write`, or while the switch for `kind` is set: half the bytes, then its errno. */
  private failing(file: Pick<WriteFile, 'write'>, kind: 'journal' | 'snapshot'): WriteFile['write'] {
    return async (chunk, offset, length) => {
      const code = this[kind]
      if (!code) return file.write(chunk, offset, length)
      if (kind === 'journal') this.journalFailures += 1
      else this.snapshotFailures += 1
      const half = Math.floor(length / 2)
      if (half > 0) await file.write(chunk, offset, half)
      throw errno(code)
    }
  }

  rename = (from: string, to: string) => nodeFiles.rename(from, to)
  remove = (path: string) => nodeFiles.remove(path)
  syncDirectory = (dir: string) => nodeFiles.syncDirectory(dir)
}
