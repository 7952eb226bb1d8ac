import { expect } from 'chai'
import { loggedUrl, MAX_LOGGED_BODY, redactBody, summariseBody } from '../../src/emulator/http/middleware/redact.js'

describe('http: what the request log redacts', () => {
  const urls = [
    { url: '/v1/data/posts?limit=5', logged: '/v1/data/posts?limit=5' },
    { url: '/v1/auth/email/callback?token=abc&redirect=x', logged: '/v1/auth/email/callback?token=[redacted]&redirect=x' },
    { url: '/mcp/oauth/authorize?code=c1&state=s&code_verifier=v', logged: '/mcp/oauth/authorize?code=[redacted]&state=s&code_verifier=[redacted]' },
    { url: '/x?access_token=a&refresh_token=r&password=p&client_secret=c&api_key=k&X-API-Key=k2', logged: '/x?access_token=[redacted]&refresh_token=[redacted]&password=[redacted]&client_secret=[redacted]&api_key=[redacted]&X-API-Key=[redacted]' },
    { url: '/x?%74oken=hidden', logged: '/x?%74oken=[redacted]' },
    { url: '/x?flag&keyName=kept', logged: '/x?flag&keyName=kept' },
    { url: '/_emulator/storage/download/eyJhbGciOi.payload.sig', logged: '/_emulator/storage/download/[redacted]' },
    { url: '/_emulator/storage/upload/tok?x=1', logged: '/_emulator/storage/upload/[redacted]' },
    { url: '/_emulator/invitations/inv-token', logged: '/_emulator/invitations/[redacted]' },
    { url: '/_emulator/storage/public/avatars/a.png', logged: '/_emulator/storage/public/avatars/a.png' },
  ]
  for (const { url, logged } of urls) it(`${url} → ${logged}`, () => expect(loggedUrl(url)).to.equal(logged))

  it('replaces secret-named fields at any depth, in arrays too, and keeps the rest', () => {
    const body = { email: 'a@b.c', password: 'p', newPassword: 'n', profile: { tokens: [{ accessToken: 'a', idToken: 'i', kind: 'x' }] }, items: [{ client_secret: 's', code: '123456', statusCode: 200 }], Authorization: 'Bearer x' }
    expect(redactBody(body)).to.deep.equal({
      email: 'a@b.c',
      password: '[redacted]',
      newPassword: '[redacted]',
      profile: { tokens: [{ accessToken: '[redacted]', idToken: '[redacted]', kind: 'x' }] },
      items: [{ client_secret: '[redacted]', code: '[redacted]', statusCode: 200 }],
      Authorization: '[redacted]',
    })
    expect(body.password).to.equal('p')
  })

  it('summarises raw, non-JSON and large bodies instead of copying them', () => {
    expect(redactBody(Buffer.alloc(10))).to.equal('[10 bytes]')
    expect(summariseBody(Buffer.alloc(7), 'image/png')).to.equal('[image/png, 7 bytes]')
    expect(summariseBody('<html></html>', 'text/html; charset=utf-8')).to.equal('[text/html, 13 characters]')
    expect(summariseBody(JSON.stringify({ a: 'x'.repeat(MAX_LOGGED_BODY) }), 'application/json')).to.match(/^\[application\/json, \d+ characters\]$/)
    expect(summariseBody('{"refreshToken":"r","ok":true}', 'application/json; charset=utf-8')).to.deep.equal({ refreshToken: '[redacted]', ok: true })
  })
})
