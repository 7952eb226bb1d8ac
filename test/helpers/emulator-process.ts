import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ReadyEvent } from '../../src/contract/emulator.js'

const fixture = fileURLToPath(new URL('../fixtures/emulator-process.ts', import.meta.url))

export interface EmulatorProcess {
  ready: ReadyEvent
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>
}

/**
 * An emulator in a child process, so it can be killed with SIGKILL. A low `compactMinBytes` makes it compact under
 * load; `snapshotDelayMs` slows each snapshot chunk write so compactions last long enough to be killed inside.
 */
export function spawnEmulator(dataDir: string, options: { compactMinBytes?: number; snapshotDelayMs?: number } = {}): Promise<EmulatorProcess> {
  const args = [fixture, dataDir, String(options.compactMinBytes ?? ''), String(options.snapshotDelayMs ?? 0)]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!stdout.includes('\n')) return
      const ready = JSON.parse(stdout.split('\n')[0]!) as ReadyEvent
      const exited = new Promise<void>((done) => child.once('exit', () => done()))
      resolve({ ready, kill: () => (process.kill(child.pid!, 'SIGKILL'), exited) })
    })
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${stderr}`)))
  })
}
