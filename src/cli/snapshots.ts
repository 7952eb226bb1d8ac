import { Args } from '@oclif/core'
import type { SnapshotSummary } from '../contract/emulator.js'
import { formatBytes, plural } from '../ui/format.js'
import { printTable } from './output.js'

/** The NAME argument of the `bkend dev snapshot` commands. */
export const snapshotNameArg = Args.string({ description: 'snapshot name: letters, digits, ".", "_", "-" (up to 64), starting with a letter or digit', required: true })

/** Snapshots as a table: what each holds and when it was taken. */
export function printSnapshots(snapshots: SnapshotSummary[], wanted?: string): Promise<void> {
  const rows = snapshots.map((s) => ({ ...s, size: formatBytes(s.size) }))
  return printTable(
    [
      { key: 'name', header: 'Name', identity: true },
      { key: 'createdAt', header: 'Created' },
      { key: 'size', header: 'Size' },
      { key: 'records', header: 'Records' },
      { key: 'users', header: 'Users' },
      { key: 'files', header: 'Files' },
    ],
    rows,
    wanted,
  )
}

/** One line on what a snapshot holds. */
export function snapshotLine(s: SnapshotSummary): string {
  return `${plural(s.records, 'record')}, ${plural(s.users, 'user')}, ${plural(s.files, 'file')} (${formatBytes(s.size)})`
}
