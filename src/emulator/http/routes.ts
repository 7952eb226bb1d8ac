import { registerAuthEmail } from './auth/email.js'
import { registerInvitationPage } from './auth/invitation-page.js'
import { registerAuthInvitations } from './auth/invitations.js'
import { registerAuthMfa } from './auth/mfa.js'
import { registerAuth } from './auth/sign-in.js'
import { registerAuthSocial } from './auth/social.js'
import { registerConsole } from './console/route.js'
import { registerControl } from './control/control.js'
import { registerDevState } from './control/dev-state.js'
import { registerFakeIdp } from './control/fake-idp.js'
import { registerConsoleSignIn } from './console/signin.js'
import { registerOrgInvitationPage } from './console/org-invitation-page.js'
import { registerLogs } from './control/logs.js'
import { registerFaults } from './control/faults.js'
import { registerMailbox } from './control/mailbox.js'
import { registerPush } from './control/push.js'
import { registerBulkData } from './data/bulk.js'
import { registerData } from './data/records.js'
import { registerFiles } from './files/files.js'
import { registerStorage } from './files/storage.js'
import { registerMcp } from './mcp/mcp.js'
import { registerOAuth } from './oauth/oauth.js'
import type { SurfaceRoutes } from './surface.js'
import { registerAvatars } from './users/avatars.js'
import { registerUserProfile } from './users/profile.js'
import { registerUsers } from './users/users.js'

/**
 * Every route of the emulator, by surface: the one place that lists them. Extensions are what the hosted service
 * does not have (the `/_emulator/` controls, pages and storage URLs); `parity` says which stay in cloud-parity mode.
 */
export const ROUTES: readonly SurfaceRoutes[] = [
  { surface: 'control', extension: true, parity: 'control', register: registerControl },
  { surface: 'control', extension: true, parity: 'control', register: registerMailbox },
  // Reset and snapshots stay on like the clock: they operate the emulator's own state, as a test suite needs.
  { surface: 'control', extension: true, parity: 'control', register: registerDevState },
  { surface: 'control', extension: true, parity: 'control', register: registerPush },
  { surface: 'control', extension: true, parity: 'control', register: registerLogs },
  // Faults stay on in cloud-parity mode: they shape how the emulator answers, not what it offers.
  { surface: 'control', extension: true, parity: 'control', register: registerFaults },
  { surface: 'control', extension: true, parity: 'stand-in', register: registerFakeIdp },
  { surface: 'auth', extension: false, register: registerAuth },
  { surface: 'auth', extension: false, register: registerAuthEmail },
  { surface: 'auth', extension: false, register: registerAuthInvitations },
  { surface: 'auth', extension: true, register: registerInvitationPage },
  { surface: 'auth', extension: false, register: registerAuthSocial },
  { surface: 'auth', extension: false, register: registerAuthMfa },
  { surface: 'users', extension: false, register: registerUsers },
  { surface: 'users', extension: false, register: registerUserProfile },
  { surface: 'users', extension: false, register: registerAvatars },
  { surface: 'files', extension: false, register: registerFiles },
  { surface: 'files', extension: true, parity: 'stand-in', register: registerStorage },
  { surface: 'data', extension: false, register: registerData },
  // one request for many records (bkend seed); the hosted service has no bulk insert, so parity mode hides it
  { surface: 'data', extension: true, register: registerBulkData },
  { surface: 'oauth', extension: false, register: registerOAuth },
  { surface: 'mcp', extension: false, register: registerMcp },
  // The console's sign-in stands in for the hosted console's; the consent page needs it with several tenants.
  { surface: 'console', extension: true, parity: 'stand-in', register: registerConsoleSignIn },
  // The local console: the hosted service has its console on another origin, so it stays on in cloud-parity mode.
  { surface: 'console', extension: true, parity: 'stand-in', register: registerConsole },
  // Organization invitations are an extension like their MCP tools, so parity mode hides their page too.
  { surface: 'console', extension: true, register: registerOrgInvitationPage },
]

/** The routes an emulator serves: in cloud-parity mode, without the extensions that do not stay (README-D12). */
export function routesFor(cloudParity: boolean, routes: readonly SurfaceRoutes[] = ROUTES): readonly SurfaceRoutes[] {
  return cloudParity ? routes.filter((entry) => !entry.extension || entry.parity !== undefined) : routes
}
