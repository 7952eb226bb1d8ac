import { RuntimeClient } from '../client/runtime.js'
import type { ResetResponse } from '../contract/emulator.js'
import { interruptSignal } from './io/file-transfer.js'
import { seedFolder } from './seed/folder.js'
import { readSeedLayout, type SeedLayout } from './seed/layout.js'
import { seed, type SeedResult } from './seed/seed-service.js'
import { resolveRuntimeTarget, type RuntimeFlagValues, type RuntimeTarget } from './target.js'

/** Seed requests in flight, as `bkend seed` sends them by default. */
const CONCURRENCY = 16

/** What `bkend dev reset --to-seed` loads after the reset: read before anything is deleted. */
export interface SeedPlan {
  layout: SeedLayout
  target: RuntimeTarget
}

/**
 * Reads the seed folder and finds the environment's secret key first, so a missing or invalid seed folder stops
 * `dev reset --to-seed` while the environment is still as it was.
 */
export async function planSeed(flags: RuntimeFlagValues): Promise<SeedPlan> {
  const layout = await readSeedLayout(await seedFolder(undefined))
  return { layout, target: await resolveRuntimeTarget(flags) }
}

/** Loads the seed into the environment just reset, through the REST API as `bkend seed` does. */
export async function seedAfterReset(plan: SeedPlan, reset: ResetResponse, progress: boolean): Promise<SeedResult> {
  const runtime = new RuntimeClient({ restUrl: plan.target.restUrl, secretKey: plan.target.secretKey, environment: plan.target.environment, connections: CONCURRENCY, bulk: true })
  const interrupt = interruptSignal()
  try {
    return await seed({ runtime, target: plan.target, layout: plan.layout, reset: { via: 'emulator', removed: reset.removed }, concurrency: CONCURRENCY, strict: false, progress, signal: interrupt.signal })
  } finally {
    interrupt.dispose()
    await runtime.close()
  }
}
