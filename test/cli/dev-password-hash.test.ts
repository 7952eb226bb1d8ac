import { expect } from 'chai'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runBinary, spawnDev, withoutMachineBkendEnv } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/** Every stored password hash's parameters (`scrypt$N$r$p`) found in the data dir's files. */
async function storedCosts(dir: string): Promise<string[]> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile())
  const costs: string[] = []
  for (const file of files) {
    const text = await readFile(join(file.parentPath, file.name), 'utf8')
    for (const match of text.matchAll(/"passwordHash":"(scrypt\$\d+\$\d+\$\d+)\$/g)) costs.push(match[1]!)
  }
  return costs
}

describe('bkend dev --password-hash', () => {
  async function signUpAndStop(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
    const { dir, cleanup } = await tempDir('bkend-pwhash-')
    try {
      const dev = await spawnDev(['--port', '0', '--data-dir', dir, ...args], { ...withoutMachineBkendEnv(), ...env })
      const response = await fetch(`${dev.ready.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': dev.ready.environments[0]!.publishableKey }, body: JSON.stringify({ email: 'ada@example.com', password: 'a-long-secret' }) })
      expect(response.status).to.equal(201)
      expect(await dev.stop()).to.equal(0)
      const text = (await Promise.all((await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')))).join('')
      expect(text).to.not.include('a-long-secret')
      return await storedCosts(dir)
    } finally {
      await cleanup()
    }
  }

  it('stores the local cost by default', async () => {
    expect(await signUpAndStop([])).to.deep.equal(['scrypt$64$8$1'])
  })

  it('stores the production cost with --password-hash production', async () => {
    expect(await signUpAndStop(['--password-hash', 'production'])).to.deep.equal(['scrypt$131072$8$1'])
  })

  it('takes the cost from BKEND_PASSWORD_HASH', async () => {
    expect(await signUpAndStop([], { BKEND_PASSWORD_HASH: 'production' })).to.deep.equal(['scrypt$131072$8$1'])
  })

  it('refuses an unknown cost before starting, naming the choices', async () => {
    const { dir, cleanup } = await tempDir('bkend-pwhash-')
    try {
      const result = await runBinary(['dev', '--port', '0', '--data-dir', dir, '--password-hash', 'none'], { env: withoutMachineBkendEnv() })
      expect(result.code).to.not.equal(0)
      expect(result.stderr).to.match(/local/).and.match(/production/)
      expect(result.stderr).to.not.match(/\n\s+at /)
    } finally {
      await cleanup()
    }
  })
})
