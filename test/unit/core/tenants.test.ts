import { expect } from 'chai'
import { FailingFiles } from '../../helpers/failing-files.js'
import { normalizeTenantEmail } from '../../../src/emulator/core/tenancy/tenants.js'
import { startEmulator, type TestEmulator } from '../../helpers/emulator.js'

describe('core: tenants', () => {
  let emu: TestEmulator
  beforeEach(async () => {
    emu = await startEmulator()
  })
  afterEach(() => emu.dispose())

  it('the seeded tenant is the first, found by id and by e-mail in any case', () => {
    const first = emu.core.tenants.first()
    expect(first).to.include({ id: emu.seed.tenantId, email: 'developer@localhost', name: 'Local Developer' })
    expect(emu.core.tenants.byEmail(' Developer@LOCALHOST ')?.id).to.equal(emu.seed.tenantId)
    expect(emu.core.tenants.get(emu.seed.tenantId)?.email).to.equal('developer@localhost')
    expect(emu.core.tenants.count()).to.equal(1)
  })

  it('a first sign-in creates the tenant from the identity, with an organization of their own; later ones find it', async () => {
    const first = await emu.core.tenants.signIn({ email: 'Ada@Example.com', name: ' Ada Lovelace ', image: 'https://img.example/ada.png' })
    expect(first.created).to.equal(true)
    expect(first.tenant).to.include({ email: 'ada@example.com', name: 'Ada Lovelace', image: 'https://img.example/ada.png' })
    const orgs = emu.core.orgs.list(first.tenant.id)
    expect(orgs.map((o) => [o.name, o.slug, o.role])).to.deep.equal([["Ada Lovelace's organization", 'ada-lovelace-s-organization', 'owner']])
    const again = await emu.core.tenants.signIn({ email: 'ADA@example.com', name: 'Someone Else' })
    expect(again).to.deep.equal({ tenant: first.tenant, created: false })
    expect(emu.core.orgs.list(first.tenant.id)).to.have.length(1)
    expect(emu.core.tenants.count()).to.equal(2)
  })

  it('a tenant with a pending invitation gets no organization of their own; the name defaults to the address', async () => {
    const asked: string[] = []
    emu.core.tenants.hasPendingInvitation = (email) => {
      asked.push(email)
      return email === 'invited@example.com'
    }
    const { tenant } = await emu.core.tenants.signIn({ email: 'Invited@example.com' })
    expect(asked).to.deep.equal(['invited@example.com'])
    expect(tenant.name).to.equal('invited')
    expect(emu.core.orgs.list(tenant.id)).to.deep.equal([])
  })

  it('refuses what is not an e-mail address, creating nothing', async () => {
    const cases: unknown[] = ['', 'no-at-sign', 'two@@example.com', 'spa ce@example.com', 42, null]
    expect(cases).to.have.length(6)
    for (const email of cases) {
      expect(normalizeTenantEmail(email), String(email)).to.equal(null)
      const error = await emu.core.tenants.signIn({ email: email as string }).then(() => null, (e: unknown) => e as { code: string })
      expect(error?.code, String(email)).to.equal('common/invalid-parameters')
    }
    expect(emu.core.tenants.count()).to.equal(1)
  })

  it('a first sign-in the disk refuses keeps neither the tenant nor their organization', async () => {
    const files = new FailingFiles()
    const full = await startEmulator({ storeFiles: files })
    try {
      const organizations = () => full.core.store.control.collection('organizations').size
      const before = organizations()
      files.journal = 'ENOSPC'
      const error = await full.core.tenants.signIn({ email: 'late@example.com' }).then(() => null, (e: unknown) => e)
      expect(error).to.not.equal(null)
      expect(full.core.tenants.byEmail('late@example.com')).to.equal(undefined)
      expect(organizations()).to.equal(before)
      files.journal = null
      expect((await full.core.tenants.signIn({ email: 'late@example.com' })).created).to.equal(true)
      expect(organizations()).to.equal(before + 1)
    } finally {
      files.journal = null
      await full.dispose()
    }
  })

  it('a failure between writing the account and its organization takes the account back out', async () => {
    emu.core.tenants.hasPendingInvitation = () => {
      throw new Error('invitation lookup failed')
    }
    const error = await emu.core.tenants.signIn({ email: 'half@example.com' }).then(() => null, (e: unknown) => e as Error)
    expect(error?.message).to.equal('invitation lookup failed')
    expect(emu.core.tenants.byEmail('half@example.com')).to.equal(undefined)
    expect(emu.core.tenants.count()).to.equal(1)
  })
})
