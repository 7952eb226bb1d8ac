import { spawn, type ChildProcess } from 'node:child_process'

/**
 * Runs a writer fixture (`node --import tsx <script> ...args`) and hands every line it prints to `onLine`, which
 * decides when to SIGKILL it. Resolves once the process is gone and its output read; rejects if it ended any other way.
 */
export function runUntilKilled(script: string, args: string[], onLine: (line: string, child: ChildProcess) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() as string
      for (const line of lines) onLine(line, child)
    })
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${stderr}`))
      else resolve()
    })
  })
}
