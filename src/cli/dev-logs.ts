import type { LogFilters, EmulatorControls } from '../client/emulator-controls.js'
import { ClientError } from '../client/errors.js'
import type { MissedEvent, RequestEvent } from '../contract/request-log.js'
import { CliError } from './errors.js'
import { colourFor, requestLine } from './request-line.js'

/** A filter the emulator refused is the user's to fix: a usage error naming it. */
function usage(error: unknown): never {
  if (error instanceof ClientError && error.status === 400) throw new CliError(error.message, 'see bkend dev logs --help for the filters', 2, 'cli/usage')
  throw error
}

/** `bkend dev logs`: the recent requests, as plain lines or NDJSON. */
export async function printLogs(controls: EmulatorControls, filters: LogFilters, json: boolean): Promise<void> {
  const { items } = await controls.logs(filters).catch(usage)
  const colour = !json && colourFor(process.stdout)
  process.stdout.write(items.map((event) => (json ? `${JSON.stringify(event)}\n` : requestLine(event, colour))).join(''))
}

/**
 * `bkend dev logs --follow`: prints each line of the stream as it arrives until Ctrl+C (or SIGTERM), which ends it
 * cleanly with exit code 0: stopping is the only way a follow ends, not a failure. With `json` the stream's own lines
 * pass through unchanged.
 */
export async function followLogs(controls: EmulatorControls, filters: LogFilters, json: boolean): Promise<void> {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const colour = !json && colourFor(process.stdout)
  try {
    await controls.followLogs(filters, (line) => process.stdout.write(json ? `${line}\n` : plain(JSON.parse(line) as RequestEvent | MissedEvent, colour)), controller.signal).catch(usage)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

function plain(event: RequestEvent | MissedEvent, colour: boolean): string {
  return event.event === 'missed' ? `… ${event.count} requests missed: this reader fell behind\n` : requestLine(event, colour)
}
