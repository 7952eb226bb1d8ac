import { expect } from 'chai'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { envDatabaseName } from '../../src/emulator/core/tenancy/model.js'
import { startEmulator } from '../helpers/emulator.js'
import { runUntilKilled } from '../helpers/killed-writer.js'
import { tempDir } from '../helpers/tmp.js'

describe('durability: an organization deletion killed with SIGKILL between its commit and dropping its data', function () {
  this.timeout(60_000)

  it('restarts with nothing of the organization left: no documents, and the environment databases dropped', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      let ids: { organizationId: string; projectId: string; envIds: string[] } | undefined
      await runUntilKilled(join(import.meta.dirname, '../fixtures/org-delete-crash-writer.ts'), [dir], (line, child) => {
        if (line.startsWith('{')) ids = JSON.parse(line) as typeof ids
        if (line === 'cut') child.kill('SIGKILL')
      })
      expect(ids?.envIds).to.have.length(2)
      // The kill left the second environment's database on disk.
      const before = await readdir(join(dir, 'db'))
      expect(before.some((name) => name.startsWith(envDatabaseName(ids!.envIds[1]!)))).to.equal(true)

      const emu = await startEmulator({ dataDir: dir })
      try {
        const control = emu.core.store.control
        for (const name of ['organizations', 'memberships', 'projects', 'environments', 'apiKeys']) {
          expect([...control.collection(name).values()].filter((d) => d.organizationId === ids!.organizationId || d.id === ids!.organizationId), name).to.have.length(0)
        }
        for (const id of ids!.envIds) expect(emu.core.store.database(envDatabaseName(id)), id).to.equal(undefined)
        const after = await readdir(join(dir, 'db'))
        for (const id of ids!.envIds) expect(after.filter((name) => name.startsWith(envDatabaseName(id))), id).to.have.length(0)
        expect(emu.core.orgs.get(emu.seed.tenantId, emu.seed.organizationId)).to.include({ slug: 'local' })
      } finally {
        await emu.stop()
      }
    } finally {
      await cleanup()
    }
  })
})
