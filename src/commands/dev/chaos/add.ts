import { Flags } from '@oclif/core'
import { ControlCommand } from '../../../cli/control-command.js'
import { describeFault, FAULT_STATUS_OPTIONS, failRate, faultTarget, forSeconds, inFlagWords } from '../../../cli/dev-faults.js'
import { CliError } from '../../../cli/errors.js'
import { ClientError } from '../../../client/errors.js'
import { parseDuration } from '../../../cli/duration.js'
import type { FaultRule, FaultRuleInput, FaultStatus } from '../../../contract/faults.js'

export type DevChaosAddResult = FaultRule

const CHAOS_FLAGS = { latency: '--latency', failRate: '--fail-rate', seed: '--seed', path: '--path', method: '--method', status: '--status', mode: '--mode', times: '--times', forSeconds: '--for' }

export default class DevChaosAdd extends ControlCommand {
  static override summary = 'Inject latency, failures or timeouts into matching requests of the local emulator'
  static override description = [
    'Adds a rule to the running bkend dev: requests whose method and path match wait --latency before they run, and --fail-rate of them are answered with the error envelope (503 common/service-unavailable, or --status) or, with --mode timeout, held for the latency (20 s without one) and closed without an answer. The rule lasts until it has shaped --times requests, until --for has passed, or until removed; rules are tried oldest first and the first that matches applies.',
    'Paths are matched without the query string; * matches any characters, across segments (/v1/data/*). The /_emulator controls, health, pages and storage URLs are never affected, so the CLI keeps working. Every shaped request shows its rule in the request log.',
  ].join('\n\n')

  static override examples = [
    "<%= config.bin %> dev chaos add --path '/v1/data/*' --method POST --latency 200-800 --fail-rate 0.2",
    "<%= config.bin %> dev chaos add --path '/v1/auth/*' --status 429 --times 3",
    "<%= config.bin %> dev chaos add --path '/v1/files/*' --mode timeout --latency 5000 --for 2m",
    "<%= config.bin %> dev chaos add --path '/v1/data/orders' --fail-rate 0.5 --seed 42 --json",
  ]

  static override flags = {
    path: Flags.string({ description: 'path pattern, * for any characters (default: every API path)', default: '*' }),
    method: Flags.string({ description: 'only this method (default: any)', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }),
    latency: Flags.string({ description: 'delay before the request runs: milliseconds (300) or a range drawn uniformly (200-800)' }),
    'fail-rate': Flags.string({ description: 'share of matching requests (0..1) that fail; default 1 with --status or --mode, else 0' }),
    status: Flags.string({ description: 'status of a failure (default 503; 429 comes with Retry-After)', options: FAULT_STATUS_OPTIONS }),
    mode: Flags.string({ description: 'error: answer with the error envelope; timeout: hold, then close without an answer', options: ['error', 'timeout'] }),
    times: Flags.integer({ description: 'remove the rule after it has shaped this many requests', min: 1 }),
    for: Flags.string({ description: 'remove the rule after this long (60s, 5m, 1h)' }),
    seed: Flags.integer({ description: 'seed of the random draws, so a run fails the same requests every time', min: 0 }),
  }

  async run(): Promise<DevChaosAddResult> {
    const { flags } = await this.parse(DevChaosAdd)
    // parsed before connecting, so a typo is a usage error even when no emulator runs
    const rate = flags['fail-rate'] === undefined ? undefined : failRate(flags['fail-rate'])
    const lasts = flags.for === undefined ? undefined : forSeconds(parseDuration(flags.for), flags.for)
    const input: FaultRuleInput = {
      path: flags.path,
      ...(flags.method !== undefined ? { method: flags.method } : {}),
      ...(flags.latency !== undefined ? { latency: flags.latency } : {}),
      ...(rate !== undefined ? { failRate: rate } : {}),
      ...(flags.status !== undefined ? { status: Number(flags.status) as FaultStatus } : {}),
      ...(flags.mode !== undefined ? { mode: flags.mode as 'error' | 'timeout' } : {}),
      ...(flags.times !== undefined ? { times: flags.times } : {}),
      ...(lasts !== undefined ? { forSeconds: lasts } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    }
    const controls = await this.controls(flags, 'Fault injection')
    const rule = await controls.addFault(input).catch((error: unknown) => {
      if (!(error instanceof ClientError) || error.status !== 400) throw error
      throw new CliError(inFlagWords(error.message, error.details.fields?.[0]?.field, CHAOS_FLAGS), 'nothing was changed; bkend dev chaos add --help shows what each flag takes', 2, 'cli/invalid-fault')
    })
    if (!this.jsonEnabled()) this.log(`Added fault rule ${rule.id}: ${describeFault(rule)} on ${faultTarget(rule)}. bkend dev chaos remove ${rule.id} removes it.`)
    return rule
  }
}
