import { expect } from 'chai'
import type { SettingsModel } from '../../../src/config/model.js'
import { settingsFromFiles, settingsToFiles, type OverlayFile, type ProjectFile } from '../../../src/config/project-file.js'

const POLICY = { minLength: 10, maxLength: 64, requireUppercase: true, requireLowercase: false, requireNumbers: true, requireSpecialChars: false, rejectCommonPasswords: true, expirationDays: 90 }
const AUTH: NonNullable<SettingsModel['auth']> = {
  passwordPolicy: POLICY,
  magicLinkEnabled: false,
  magicLinkExpirationMinutes: 30,
  emailVerificationRequired: true,
  providers: { google: { clientId: 'g-id', redirectUri: 'https://app.example.com/g', scopes: ['openid', 'email'], enabled: false }, github: null },
}
const EMAIL: NonNullable<SettingsModel['email']> = {
  sender: { senderEmail: 'hi@example.com', senderName: 'Example', logoUrl: 'https://example.com/logo.png', brandColor: '#112233', overrideDefaults: true },
  templates: { password_reset: { subject: 'Reset', body: '<p>{{resetLink}}</p>' }, signup_confirmation: { subject: 'Welcome', body: '<p>hi</p>' } },
}

function back(project: ProjectFile, overlay: OverlayFile, secrets?: Record<string, string>): { settings: SettingsModel | undefined; problems: string[] } {
  const problems: string[] = []
  const settings = settingsFromFiles({
    project,
    overlay,
    projectProblem: (path, message) => problems.push(`project ${path}: ${message}`),
    overlayProblem: (path, message) => problems.push(`overlay ${path}: ${message}`),
    secrets: secrets && ((name) => secrets[name]),
  })
  return { settings, problems }
}

describe('config: project.json and overlays ↔ settings', () => {
  const CASES: { name: string; settings: SettingsModel }[] = [
    { name: 'everything managed', settings: { auth: AUTH, email: EMAIL, cors: { allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] } } },
    { name: 'auth with both providers', settings: { auth: { ...AUTH, providers: { google: AUTH.providers.google, github: { clientId: 'gh', redirectUri: 'http://127.0.0.1:4100/gh', scopes: [], enabled: true } } } } },
    { name: 'auth without providers, no expiration', settings: { auth: { ...AUTH, passwordPolicy: { ...POLICY, expirationDays: null }, providers: { google: null, github: null } } } },
    { name: 'e-mail without custom templates, null logo and colour', settings: { email: { sender: { ...EMAIL.sender, logoUrl: null, brandColor: null }, templates: {} } } },
    { name: 'only CORS, empty (any origin)', settings: { cors: { allowedOrigins: [] } } },
  ]
  for (const c of CASES) {
    it(`${c.name}: settings → files → settings is lossless`, () => {
      const files = settingsToFiles(c.settings)
      const result = back(files.project, files.overlay)
      expect(result.problems).to.deep.equal([])
      expect(result.settings).to.deep.equal(c.settings)
    })
  }

  it('splits what every target shares from what differs by target', () => {
    const { project, overlay } = settingsToFiles({ auth: AUTH, email: EMAIL, cors: { allowedOrigins: ['http://localhost:3000'] } })
    expect(project.auth!.providers).to.deep.equal({ google: { scopes: ['openid', 'email'] } })
    expect(Object.keys(project.email!.templates!)).to.deep.equal(['signup_confirmation', 'password_reset'])
    expect(project).to.not.have.property('cors')
    expect(overlay).to.deep.equal({ auth: { providers: { google: { clientId: 'g-id', redirectUri: 'https://app.example.com/g', enabled: false } } }, cors: { allowedOrigins: ['http://localhost:3000'] } })
  })

  it('a live secret flag is never written; a known reference is carried over', () => {
    const live: SettingsModel = { auth: { ...AUTH, providers: { google: { ...AUTH.providers.google!, hasClientSecret: true }, github: null } } }
    expect(settingsToFiles(live).overlay.auth!.providers!.google).to.not.have.property('clientSecret')
    expect(settingsToFiles(live, { google: { env: 'G_SECRET' } }).overlay.auth!.providers!.google!.clientSecret).to.deep.equal({ env: 'G_SECRET' })
  })

  it('reads a secret reference through the lookup, from the overlay or project.json', () => {
    const project: ProjectFile = { auth: { ...settingsToFiles({ auth: AUTH }).project.auth!, providers: { github: { clientId: 'gh', redirectUri: 'https://a.example/gh', clientSecret: { env: 'GH' } } } } }
    const overlay: OverlayFile = { auth: { providers: { google: { clientId: 'g', redirectUri: 'https://a.example/g', clientSecret: { env: 'G' } } } } }
    const { settings, problems } = back(project, overlay, { G: 'g-secret', GH: 'gh-secret' })
    expect(problems).to.deep.equal([])
    expect(settings!.auth!.providers.google!.clientSecret).to.equal('g-secret')
    expect(settings!.auth!.providers.github!.clientSecret).to.equal('gh-secret')
    expect(back(project, overlay, { G: 'g-secret' }).problems).to.deep.equal(['project auth.providers.github.clientSecret.env: the environment variable GH is not set'])
  })

  it('an overlay value wins over project.json; a provider only the overlay names gets the default scopes', () => {
    const project: ProjectFile = { auth: { ...settingsToFiles({ auth: AUTH }).project.auth!, providers: { google: { clientId: 'shared', redirectUri: 'https://a.example/g', scopes: ['openid'] } } }, cors: { allowedOrigins: ['https://a.example'] } }
    const { settings } = back(project, { auth: { providers: { google: { clientId: 'mine' }, github: { clientId: 'gh', redirectUri: 'https://a.example/gh' } } }, cors: { allowedOrigins: [] } })
    expect(settings!.auth!.providers).to.deep.equal({
      google: { clientId: 'mine', redirectUri: 'https://a.example/g', scopes: ['openid'], enabled: true },
      github: { clientId: 'gh', redirectUri: 'https://a.example/gh', scopes: ['user:email'], enabled: true },
    })
    expect(settings!.cors).to.deep.equal({ allowedOrigins: [] })
  })
})
