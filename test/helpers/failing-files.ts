import { writeFile } from 'node:fs/promises'
import { nodeFiles, type StoreFiles } from '../../src/emulator/store/store.js'
import { tempPathOf } from '../../src/emulator/store/files.js'

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected disk failure`), { code })
}

/**
 * The real file layer with a switch: while `journal` names an errno, each journal write puts half its bytes on
 * disk and then fails with it (as a disk filling up mid-write does); while `snapshot` names one, a snapshot write
 * leaves a partial temp file and fails.
 */
export class FailingFiles implements StoreFiles {
  journal: string | null = null
  snapshot: string | null = null
  journalFailures = 0
  snapshotFailures = 0

  async openAppend(path: string) {
    const file = await nodeFiles.openAppend(path)
    return {
      write: async (chunk: Buffer, offset: number, length: number) => {
        if (!this.journal) return file.write(chunk, offset, length)
        this.journalFailures += 1
        const half = Math.floor(length / 2)
        if (half > 0) await file.write(chunk, offset, half)
        throw errno(this.journal)
      },
      datasync: () => file.datasync(),
      truncate: (length: number) => file.truncate(length),
      close: () => file.close(),
    }
  }

  async writeAtomic(path: string, text: string, options: { sync: boolean }) {
    if (!this.snapshot) return nodeFiles.writeAtomic(path, text, options)
    this.snapshotFailures += 1
    await writeFile(tempPathOf(path), text.slice(0, Math.floor(text.length / 2)))
    throw errno(this.snapshot)
  }
}
