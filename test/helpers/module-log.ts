import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN } from './cli.js'

const HOOK = fileURLToPath(new URL('../fixtures/module-log.mjs', import.meta.url))

/**
 * `bkend dev --json` on a data dir in `dir`, recording every module it loads (test/fixtures/module-log.mjs): the
 * ready line, the URLs loaded so far, and a stop that waits for the exit.
 */
export async function devWithModuleLog<Ready>(dir: string): Promise<{ ready: Ready; loaded: () => Promise<string[]>; stop: () => Promise<void> }> {
  const log = join(dir, 'modules.log')
  const child = spawn(process.execPath, ['--import', HOOK, BIN, 'dev', '--json', '--port', '0', '--data-dir', join(dir, 'data')], { env: { ...process.env, BKEND_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'ignore'] })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  let out = ''
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string) as Ready)
    })
    void exited.then((code) => reject(new Error(`bkend dev exited ${code} before ready`)))
  })
  return {
    ready,
    loaded: async () => (await readFile(log, 'utf8')).trim().split('\n'),
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}
