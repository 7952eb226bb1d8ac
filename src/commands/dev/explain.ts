import { Args } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { explainLines } from '../../cli/explain-render.js'
import type { RequestEvent } from '../../contract/request-log.js'

export type DevExplainResult = RequestEvent

export default class DevExplain extends ControlCommand {
  static override summary = 'Explain one request the local emulator answered: who asked and which check refused it'
  static override description = [
    'Prints one request of the running bkend dev request log in full: the request line and its answer, who made it (keys by name, users by id), and for a 401 or 403, or a list that permissions or row filters narrowed, the check that decided, the rule and the values it was evaluated with, and what would allow it.',
    'The request id is in every response (X-Request-Id header) and in bkend dev logs. The log keeps the most recent requests only (docs/emulator.md, "Explained denials").',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> dev explain 3f9a2c-m1x7k2', '<%= config.bin %> dev explain 3f9a2c-m1x7k2 --json']

  static override args = { requestId: Args.string({ description: 'the request id (X-Request-Id of the response)', required: true }) }

  async run(): Promise<DevExplainResult> {
    const { args, flags } = await this.parse(DevExplain)
    const controls = await this.controls(flags, 'The request log')
    const event = await controls.requestEvent(args.requestId)
    if (!this.jsonEnabled()) for (const line of explainLines(event)) this.log(line)
    return event
  }
}
