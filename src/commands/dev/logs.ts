import { Flags } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { followLogs, printLogs } from '../../cli/dev-logs.js'

export default class DevLogs extends ControlCommand {
  static override summary = "Show the local emulator's request log"
  static override description = [
    'Every request bkend dev answers is logged: time, status, method, path, duration, who asked (guest, API key by name and prefix, user id, tenant), the environment, and for a refusal the check that decided. Secrets never appear.',
    'Prints the most recent requests (--limit, default 100), one line each, oldest first; --follow keeps printing new ones as they happen until Ctrl+C, which ends it with exit code 0. A follower that cannot keep up is told how many requests it missed. Filters combine: --status takes a class (4xx), a status (404) or a list (2xx,5xx); --path a prefix (/v1/records) or a glob with * (/v1/*/posts).',
    'With --json, each request is one {"event":"request",…} line (NDJSON, the format bkend dev --json and --log-file use), and a gap a {"event":"missed","count":n} line.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> dev logs',
    '<%= config.bin %> dev logs --follow --status 4xx',
    '<%= config.bin %> dev logs --path /v1/records --method POST --limit 20',
    '<%= config.bin %> dev logs --follow --json | jq .who',
  ]

  static override enableJsonFlag = false
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'keep printing new requests as they happen, until Ctrl+C' }),
    env: Flags.string({ description: 'only requests in this environment (by name, e.g. dev)' }),
    status: Flags.string({ description: 'only these statuses: a class (4xx), a status (404) or a list (2xx,5xx)' }),
    path: Flags.string({ description: 'only paths with this prefix, or matching this glob (* for any characters)' }),
    method: Flags.string({ description: 'only this HTTP method' }),
    limit: Flags.integer({ description: 'how many recent requests to print first (0 with --follow: only new ones)', min: 0, max: 10_000 }),
    json: Flags.boolean({ description: 'print one JSON line per request (NDJSON)' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(DevLogs)
    const controls = await this.controls(flags, "the emulator's request log")
    const filters = { env: flags.env, status: flags.status, path: flags.path, method: flags.method, limit: flags.limit }
    await (flags.follow ? followLogs(controls, filters, flags.json) : printLogs(controls, filters, flags.json))
  }
}
