import type { Project } from '../../../../contract/tenancy.js'
import type { Table } from '../../../../contract/tables.js'
import type { Page } from '../../../../contract/common.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage } from '../context.js'
import { errorAlert, orgPath, projectPath } from '../layout.js'
import { toToolError } from '../../../mcp/errors.js'

/** What one environment holds, as its card shows it. */
interface EnvFigures {
  environment: string
  tables: number
  records: number
}

/** Organization and project overview: projects, their environments and what each holds. */
export const overviewPage: ConsolePage = {
  routes: [
    {
      method: 'GET',
      path: '/o/:org',
      level: 'org',
      handle: async (ctx) => {
        const org = ctx.org
        const about = `<dl class="card" id="org-facts"><dt>Slug</dt><dd><code>${e(org.slug)}</code></dd><dt>Plan</dt><dd>${e(org.plan)}</dd><dt>Your role</dt><dd>${e(org.role)}</dd></dl>`
        let projects: string
        try {
          const list = await ctx.tool<Page<Project>>('backend_project_list', { organizationId: org.id, limit: 100 })
          projects = list.items.length === 0 ? '<p class="muted">No projects yet: create one with <code>bkend projects create</code>.</p>' : `<div class="cards" id="projects">${(await Promise.all(list.items.map((p) => projectCard(ctx, p)))).join('')}</div>`
        } catch (error) {
          // A Billing member sees the organization but not its projects (console-model.md §2.1).
          projects = errorAlert({ error: toToolError(error) })
        }
        return { title: org.displayName ?? org.name, body: `${about}<h2>Projects</h2>${projects}` }
      },
    },
    {
      method: 'GET',
      path: '/o/:org/p/:project',
      level: 'project',
      handle: async (ctx) => {
        const project = ctx.project!
        const figures = await environmentFigures(ctx, project.id)
        const cards = figures.map((f) => `<div class="card" data-env="${e(f.environment)}"><h3><a href="${e(`${projectPath(ctx)}/e/${encodeURIComponent(f.environment)}/tables`)}">${e(f.environment)}</a></h3>${facts(f)}</div>`)
        return { title: project.name, body: `<p class="muted">${e(project.description ?? '')}</p><p>Slug <code>${e(project.slug)}</code> · ${e(project.primaryCloud)} ${e(project.primaryRegion)}</p><h2>Environments</h2><div class="cards" id="environments">${cards.join('')}</div>` }
      },
    },
  ],
}

async function projectCard(ctx: ConsoleContext, project: Project): Promise<string> {
  const figures = await environmentFigures(ctx, project.id)
  const href = `${orgPath(ctx)}/p/${encodeURIComponent(project.slug)}`
  const envs = figures.map((f) => `<li><a href="${e(`${href}/e/${encodeURIComponent(f.environment)}/tables`)}">${e(f.environment)}</a>: ${f.tables} tables, ${f.records} records</li>`)
  return `<div class="card" data-project="${e(project.slug)}"><h3><a href="${e(href)}">${e(project.name)}</a></h3><ul>${envs.join('')}</ul></div>`
}

/** Tables and records per environment of a project, from the table list the MCP tool gives. */
async function environmentFigures(ctx: ConsoleContext, projectId: string): Promise<EnvFigures[]> {
  const tables = await ctx.tool<Page<Table>>('backend_table_list', { projectId, limit: 100 })
  return ctx.core.envs.ofProject(projectId).map((env) => {
    const own = tables.items.filter((t) => t.environmentId === env.id)
    return { environment: env.environment, tables: own.length, records: own.reduce((sum, t) => sum + t.documentCount, 0) }
  })
}

function facts(f: EnvFigures): string {
  return `<dl><dt>Tables</dt><dd>${f.tables}</dd><dt>Records</dt><dd>${f.records}</dd></dl>`
}
