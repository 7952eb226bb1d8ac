import { watch } from 'node:fs'
import { EmulatorControls } from '../client/emulator-controls.js'
import { Management } from '../client/management.js'
import { applyPlanAtomically } from '../client/plan-apply.js'
import { readProjectState } from '../client/project-state.js'
import { SEED_DIR, type ConfigLayout } from '../config/layout.js'
import { loadConfig } from '../config/load.js'
import type { PlannedStep } from '../config/model.js'
import { plan } from '../config/planner.js'
import { ConfigError, describeProblem, type ConfigProblem } from '../config/problems.js'
import { describeStep } from '../config/step-calls.js'
import type { ReadyEvent } from '../contract/emulator.js'
import { openMcp } from './connect.js'
import { localContext } from './project-files.js'

/** How long the folder must stay quiet before a change is applied: an editor's save is several file events. */
export const DEBOUNCE_MS = 150

/** One `{"event":"config",…}` line of `bkend dev --watch --json`. */
export type ConfigEvent =
  | { event: 'config'; status: 'applied'; step: string; kind: PlannedStep['kind'] }
  | { event: 'config'; status: 'refused'; step: string; kind: PlannedStep['kind']; command: string }
  | { event: 'config'; status: 'invalid'; problems: ConfigProblem[] }
  | { event: 'config'; status: 'failed'; step?: string; message: string }

export interface ConfigWatchOptions {
  ready: ReadyEvent
  dataDir: string
  layout: ConfigLayout
  version: string
  /** The push a destructive step is left to, as a person would type it here. */
  pushCommand: string
  onEvent: (event: ConfigEvent) => void
  debounceMs?: number
}

/**
 * Watches the config folder of a running emulator: after each save, the non-destructive steps of the plan from the
 * emulator's live state are applied in one transaction, and destructive ones are refused with the push that would
 * apply them. An invalid file, or a step the emulator refuses, changes nothing; the emulator keeps its last state.
 */
export function watchConfig(options: ConfigWatchOptions): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  const fire = () => {
    timer = undefined
    if (running) {
      again = true
      return
    }
    running = applyOnce(options).finally(() => {
      running = undefined
      if (again) {
        again = false
        fire()
      }
    })
  }
  // note: seed data is loaded once, on a fresh start; saving it must not replan the config
  const watcher = watch(options.layout.dir, { recursive: true }, (_type, file) => {
    if (file && (file === SEED_DIR || file.startsWith(`${SEED_DIR}/`))) return
    clearTimeout(timer)
    timer = setTimeout(fire, options.debounceMs ?? DEBOUNCE_MS)
  })
  return {
    async close() {
      watcher.close()
      clearTimeout(timer)
      again = false
      await running
    },
  }
}

async function applyOnce(options: ConfigWatchOptions): Promise<void> {
  const emit = options.onEvent
  let desired
  try {
    desired = await loadConfig(options.layout, { kind: 'local', secrets: (name) => process.env[name], cwd: process.cwd() })
  } catch (error) {
    if (error instanceof ConfigError) return emit({ event: 'config', status: 'invalid', problems: error.problems })
    return emit({ event: 'config', status: 'failed', message: (error as Error).message })
  }
  try {
    const connection = await openMcp(localContext(options.ready, options.dataDir), options.version)
    try {
      const management = new Management(connection)
      const steps = plan(desired, (await readProjectState(management)).model).steps
      const safe = steps.filter((step) => !step.destructive)
      if (safe.length) {
        const controls = new EmulatorControls(options.ready.url, options.ready.tenantToken)
        try {
          const report = await applyPlanAtomically(management, controls, { steps: safe, destructive: false })
          if (report.failed) emit({ event: 'config', status: 'failed', step: describeStep(report.failed.step), message: `${report.failed.error.message}; nothing of this save was applied` })
          else for (const step of report.applied) emit({ event: 'config', status: 'applied', step: describeStep(step), kind: step.kind })
        } finally {
          await controls.close()
        }
      }
      for (const step of steps.filter((s) => s.destructive)) emit({ event: 'config', status: 'refused', step: describeStep(step), kind: step.kind, command: options.pushCommand })
    } finally {
      await connection.close()
    }
  } catch (error) {
    // the watcher outlives any one save: whatever went wrong is reported and the next save tries again
    emit({ event: 'config', status: 'failed', message: (error as Error).message })
  }
}

/** The line a person reads for an event (stderr of `bkend dev --watch`). */
export function configEventLines(event: ConfigEvent): string[] {
  switch (event.status) {
    case 'applied':
      return [`config: applied: ${event.step}`]
    case 'refused':
      return [`config: not applied: ${event.step} is destructive; run '${event.command}' to apply it`]
    case 'invalid':
      return [...event.problems.map((p) => `config: invalid: ${describeProblem(p)}`), 'config: nothing applied; the emulator keeps its last good state']
    case 'failed':
      return [`config: not applied${event.step ? ` (${event.step})` : ''}: ${event.message}`]
  }
}

/** `bkend push --allow-destructive`, with the --dir and --data-dir this `bkend dev` was given, so it reaches the same emulator. */
export function destructivePush(dir: string | undefined, dataDir: string | undefined): string {
  const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`)
  return ['bkend push --allow-destructive', ...(dir ? [`--dir ${quote(dir)}`] : []), ...(dataDir ? [`--data-dir ${quote(dataDir)}`] : [])].join(' ')
}

