import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import { tempDir } from './tmp.js'

export interface TestEmulator extends Emulator {
  dataDir: string
  /** The seeded local tenant acting in the seeded organization. */
  actor: Actor
  /** Stops the emulator and removes its data directory. */
  dispose(): Promise<void>
}

/** An in-process emulator on a free loopback port with its own temp data directory. */
export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const { dir, cleanup } = options.dataDir ? { dir: options.dataDir, cleanup: async () => undefined } : await tempDir()
  const emulator = await createEmulator({ port: 0, ...options, dataDir: dir })
  return Object.assign(emulator, {
    dataDir: dir,
    actor: { tenantId: emulator.seed.tenantId, organizationId: emulator.seed.organizationId },
    dispose: async () => {
      await emulator.stop()
      await cleanup()
    },
  })
}

/** Registers mocha hooks that start an emulator in cloud-parity mode and one without for the suite, then dispose both. */
export function withParityPair(): { parity: TestEmulator; plain: TestEmulator } {
  const pair = {} as { parity: TestEmulator; plain: TestEmulator }
  before(async () => {
    pair.parity = await startEmulator({ cloudParity: true })
    pair.plain = await startEmulator()
  })
  after(async () => {
    await pair.parity.dispose()
    await pair.plain.dispose()
  })
  return pair
}
