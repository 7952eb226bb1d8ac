/**
 * The console's pages, the one list of them.
 *
 * To add a page: write `pages/<name>.ts` exporting a `ConsolePage` (context.ts) whose routes are paths below `/_`
 * in the scheme `/o/:org/p/:project/e/:env/<page>` (or `/o/:org` and `/o/:org/p/:project` for organization and
 * project pages, with `level` saying which), and add one line below. A route's handler gets a `ConsoleContext`: the
 * tenant, the actor (the role matrix applies to it), the organization, project and environment of the URL, the
 * query and the posted form; it returns `{ title, body, page }` (body is escaped HTML, wrapped in the shell by
 * console.ts) or `{ redirect }`. Design-time actions go through `ctx.tool(name, args)` (the MCP tool, so validation,
 * the role matrix and the activity log are MCP's); a `ToolError` it throws, left uncaught, becomes a page with the
 * envelope's message. Destructive forms use `confirmForm` and check `confirmed(ctx)` (layout.ts). A page with `nav`
 * is listed in the environment's side navigation, in this order.
 */
import type { ConsolePage } from './context.js'
import { clockPage } from './pages/clock.js'
import { filesPage } from './pages/files.js'
import { keysPage } from './pages/keys.js'
import { logsPage } from './pages/logs.js'
import { mailboxPage } from './pages/mailbox.js'
import { overviewPage } from './pages/overview.js'
import { recordsPage } from './pages/records.js'
import { settingsPage } from './pages/settings.js'
import { tablePage } from './pages/table.js'
import { tablesPage } from './pages/tables.js'
import { usersPage } from './pages/users.js'

export const CONSOLE_PAGES: readonly ConsolePage[] = [
  overviewPage,
  tablesPage,
  tablePage,
  recordsPage,
  clockPage,
  usersPage,
  filesPage,
  mailboxPage,
  logsPage,
  keysPage,
  settingsPage,
]

/** The side navigation of an environment. */
export const CONSOLE_NAV = CONSOLE_PAGES.flatMap((page) => (page.nav ? [page.nav] : []))
