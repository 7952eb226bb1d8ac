import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { authorizeUrl, pkce, postForm, REDIRECT, registerClient } from '../helpers/oauth.js'

describe('http: OAuth consent (no auto-approve)', function () {
  let emu: TestEmulator
  let clientId: string
  const { verifier, challenge } = pkce()
  let removeDir: () => Promise<void>
  before(async () => {
    emu = await startEmulator()
    removeDir = emu.dispose
    ;({ client_id: clientId } = await registerClient(emu.url, { client_name: 'Claude <Code>' }))
  })
  after(async () => {
    await emu.stop()
    await removeDir()
  })
  const params = () => ({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's&1', scope: 'project:read table:read' })

  it('GET renders an escaped, script-free consent page with organizations and scopes', async () => {
    const response = await fetch(authorizeUrl(emu.url, params()))
    expect(response.status).to.equal(200)
    expect(response.headers.get('x-frame-options')).to.equal('DENY')
    const html = await response.text()
    expect(html).to.include('Claude &lt;Code&gt;').and.not.include('<Code>')
    expect(html).to.not.include('<script')
    expect(html).to.include(`<option value="${emu.seed.organizationId}"`)
    expect(html).to.include('<code>project:read</code>').and.include('<code>table:read</code>')
    expect(html).to.include('value="s&amp;1"')
    expect(html).to.include('action="/mcp/oauth/authorize"')
  })

  it('POST approve → 302 with a code usable at the token endpoint; deny → access_denied', async () => {
    const approved = await postForm(`${emu.url}/mcp/oauth/authorize`, { ...params(), organization_id: emu.seed.organizationId, action: 'approve' })
    expect(approved.status).to.equal(302)
    const location = new URL(approved.headers.get('location') as string)
    expect(location.searchParams.get('state')).to.equal('s&1')
    const code = location.searchParams.get('code') as string
    const tokens = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier })
    expect(tokens.body.scope).to.equal('project:read table:read')

    const denied = await postForm(`${emu.url}/mcp/oauth/authorize`, { ...params(), action: 'deny' })
    const deniedAt = new URL(denied.headers.get('location') as string)
    expect(deniedAt.searchParams.get('error')).to.equal('access_denied')
    expect(deniedAt.searchParams.get('state')).to.equal('s&1')
  })

  it('refuses an organization the tenant does not belong to, and foreign-origin form posts', async () => {
    const foreignOrg = await postForm(`${emu.url}/mcp/oauth/authorize`, { ...params(), organization_id: 'f'.repeat(24), action: 'approve' })
    expect(new URL(foreignOrg.headers.get('location') as string).searchParams.get('error')).to.equal('invalid_request')
    const crossSite = await postForm(`${emu.url}/mcp/oauth/authorize`, { ...params(), action: 'approve' }, { origin: 'https://evil.example' })
    expect(crossSite.status).to.equal(403)
  })

  it('registered clients survive a restart', async () => {
    const dataDir = emu.dataDir
    await emu.stop()
    emu = await startEmulator({ dataDir })
    const response = await fetch(authorizeUrl(emu.url, params()))
    expect(response.status).to.equal(200)
  })
})
