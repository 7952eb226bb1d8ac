import { expect } from 'chai'
import { htmlToText, renderTemplate } from '../../src/emulator/core/project-settings/template-defaults.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

describe('unit: e-mail template rendering', () => {
  it('fills placeholders, blanks unknown ones and escapes values in HTML', () => {
    expect(renderTemplate('<p>Hi {{ userName }} {{missing}}</p>', { userName: '<b>Ann</b>' }, true)).to.equal('<p>Hi &lt;b&gt;Ann&lt;/b&gt; </p>')
    expect(renderTemplate('Hi {{userName}}', { userName: '<b>Ann</b>' }, false)).to.equal('Hi <b>Ann</b>')
  })

  it('derives a plain-text body with link targets', () => {
    expect(htmlToText('<h1>T</h1><p>Go <a href="http://x/?a=1&amp;b=2">here</a></p>')).to.equal('T\nGo here (http://x/?a=1&b=2)')
  })
})

describe('unit: project settings services', () => {
  let emu: TestEmulator
  before(async () => (emu = await startEmulator()))
  after(() => emu.dispose())

  it('render() uses built-ins until overrideDefaults, and shows the token when a link is null', async () => {
    const { email } = emu.core.projectSettings
    const projectId = emu.seed.projectId
    await email.update(emu.actor, projectId, 'password_reset', { subject: 'Custom {{userName}}', body: '<p>{{resetLink}}</p>' })
    const builtIn = email.render(projectId, 'password_reset', { userName: 'Ann', resetLink: null }, 'tok-123')
    expect(builtIn.subject).to.equal('Reset your password')
    expect(builtIn.html).to.include('tok-123')
    expect(builtIn.from).to.equal('noreply@bkend.local')
    await email.updateSettings(emu.actor, projectId, { overrideDefaults: true, senderEmail: 'team@app.test' })
    const custom = email.render(projectId, 'password_reset', { userName: 'Ann', resetLink: 'http://app/reset?t=1' })
    expect(custom).to.include({ subject: 'Custom Ann', html: '<p>http://app/reset?t=1</p>', from: 'team@app.test' })
  })

  it('auth settings feed the user flows (AuthSettingsSource) and refuse foreign projects', async () => {
    const { auth } = emu.core.projectSettings
    expect(auth.passwordPolicy(emu.seed.projectId)).to.deep.equal({ minLength: 8, maxLength: 128, requireUppercase: false, requireLowercase: false, requireNumbers: false, requireSpecialChars: false, rejectCommonPasswords: false })
    await auth.update(emu.actor, emu.seed.projectId, { emailVerificationRequired: true, passwordPolicy: { maxLength: 64 } })
    expect(auth.emailVerificationRequired(emu.seed.projectId)).to.equal(true)
    expect(auth.passwordPolicy(emu.seed.projectId).maxLength).to.equal(64)
    expect(() => auth.get(emu.actor, 'f'.repeat(24))).to.throw().with.property('kind', 'not-found')
    const failure = await auth.update(emu.actor, emu.seed.projectId, { passwordPolicy: { minLength: 100, maxLength: 50 } }).then(() => undefined, (error: { kind: string }) => error)
    expect(failure).to.have.property('kind', 'invalid')
  })
})
