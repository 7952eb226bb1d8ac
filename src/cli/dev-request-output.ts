import type { WriteStream } from 'node:fs'
import { chmod, open } from 'node:fs/promises'
import type { MissedEvent } from '../contract/request-log.js'
import { eventLine as jsonLine } from '../emulator/core/observe/event-json.js'
import { LogPump } from '../emulator/core/observe/log-pump.js'
import type { RequestLog } from '../emulator/core/observe/request-log.js'
import type { Logger } from '../emulator/logger.js'
import { CliError } from './errors.js'
import { colourFor, requestLine } from './request-line.js'
import { WorkerLineSink } from './worker-line-sink.js'

const missedEvent = (count: number): MissedEvent => ({ event: 'missed', count })

/** How often the printed log is written out: invisible to a person, and one write per interval for a busy server. */
const PRINT_INTERVAL_MS = 10

/** A `--log-file` opened for appending, readable by the owner only; a path that cannot be opened is a usage error. */
export async function openLogFile(path: string): Promise<WriteStream> {
  try {
    const handle = await open(path, 'a', 0o600)
    // note: the mode applies only to a file open creates; an existing one is narrowed too.
    await chmod(path, 0o600)
    return handle.createWriteStream()
  } catch (error) {
    throw new CliError(`cannot open --log-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'pass a path in a directory that exists and that you can write to', 2, 'cli/usage')
  }
}

/**
 * What `bkend dev` prints of its request log: with `json`, one `{"event":"request",…}` line per request on stdout,
 * otherwise one plain line (coloured by status on a terminal); with `logFile`, NDJSON appended to it as well. Each
 * is a reader of the ring with its own pace, and stdout is written from a thread of its own (WorkerLineSink), so
 * neither a slow terminal, a stalled pipe nor a slow disk holds a request back: what
 * the ring overwrote meanwhile is dropped and counted (a `missed` line, and a warning for the file).
 */
export function startRequestOutput(log: RequestLog, options: { json: boolean; logFile?: WriteStream; logger: Logger; dashboard?: boolean }): { stop(): Promise<void> } {
  const colour = !options.json && colourFor(process.stdout)
  // The dashboard shows the requests itself: lines on its terminal would tear its live part apart.
  const stdout = options.dashboard ? undefined : new WorkerLineSink(1)
  const pumps = !stdout
    ? []
    : [
        new LogPump(log, stdout, {
          format: options.json ? jsonLine : (event) => requestLine(event, colour),
          missed: options.json ? (count) => jsonLine(missedEvent(count)) : (count) => `… ${count} requests not shown: the output did not keep up\n`,
          intervalMs: PRINT_INTERVAL_MS,
        }),
      ]
  const file = options.logFile
  if (file) {
    pumps.push(
      new LogPump(log, file, {
        format: jsonLine,
        missed: (count) => {
          options.logger.warn(`--log-file: ${count} request events dropped, the disk did not keep up`)
          return jsonLine(missedEvent(count))
        },
        intervalMs: PRINT_INTERVAL_MS,
      }),
    )
  }
  return {
    stop: async () => {
      for (const pump of pumps) pump.finish()
      await stdout?.end()
      if (file) await new Promise<void>((done) => file.end(done))
    },
  }
}
