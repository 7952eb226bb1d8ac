import type { Page } from '../../../../contract/common.js'
import type { EnvironmentUsage, OrgUsage, Project } from '../../../../contract/tenancy.js'
import { formatBytes, plural } from '../../../../ui/format.js'
import { toToolError } from '../../../mcp/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage } from '../context.js'
import { errorAlert, orgPath, projectPath } from '../layout.js'

const FIGURES: Array<[keyof EnvironmentUsage, string]> = [
  ['records', 'Records'],
  ['users', 'Users'],
  ['files', 'Files'],
  ['storageBytes', 'Storage'],
  ['requestsToday', 'Requests today'],
]

/** Organization and project overview: projects, their environments and the usage figures of each (`backend_org_usage`). */
export const overviewPage: ConsolePage = {
  routes: [
    {
      method: 'GET',
      path: '/o/:org',
      level: 'org',
      handle: async (ctx) => {
        const org = ctx.org
        const about = `<dl class="card" id="org-facts"><dt>Slug</dt><dd><code>${e(org.slug)}</code></dd><dt>Plan</dt><dd id="plan">${e(org.plan)}</dd><dt>Your role</dt><dd>${e(org.role)}</dd></dl>`
        const usage = await ctx.tool<OrgUsage>('backend_org_usage', { organizationId: org.id })
        let projects: string
        try {
          const list = await ctx.tool<Page<Project>>('backend_project_list', { organizationId: org.id, limit: 100 })
          projects = list.items.length === 0 ? '<p class="muted">No projects yet: create one with <code>bkend projects create</code>.</p>' : `<div class="cards" id="projects">${list.items.map((p) => projectCard(ctx, p, usage)).join('')}</div>`
        } catch (error) {
          // A Billing member sees the organization and its usage, not its projects (console-model.md §2.1).
          projects = errorAlert({ error: toToolError(error) })
        }
        return { title: org.displayName ?? org.name, body: `${about}<h2>Projects</h2>${projects}<h2>Usage</h2>${usageTable(usage.environments)}` }
      },
    },
    {
      method: 'GET',
      path: '/o/:org/p/:project',
      level: 'project',
      handle: async (ctx) => {
        const project = ctx.project!
        const usage = await ctx.tool<OrgUsage>('backend_org_usage', { organizationId: ctx.org.id })
        const own = usage.environments.filter((u) => u.projectId === project.id)
        const cards = own.map((u) => `<div class="card" data-env="${e(u.environment)}"><h3><a href="${e(`${projectPath(ctx)}/e/${encodeURIComponent(u.environment)}/tables`)}">${e(u.environment)}</a></h3>${figures(u)}</div>`)
        return { title: project.name, body: `<p class="muted">${e(project.description ?? '')}</p><p>Slug <code>${e(project.slug)}</code> · ${e(project.primaryCloud)} ${e(project.primaryRegion)}</p><h2>Environments</h2><div class="cards" id="environments">${cards.join('')}</div>` }
      },
    },
  ],
}

function projectCard(ctx: ConsoleContext, project: Project, usage: OrgUsage): string {
  const href = `${orgPath(ctx)}/p/${encodeURIComponent(project.slug)}`
  const envs = usage.environments.filter((u) => u.projectId === project.id).map((u) => `<li><a href="${e(`${href}/e/${encodeURIComponent(u.environment)}/tables`)}">${e(u.environment)}</a>: ${plural(u.records, 'record')}, ${plural(u.users, 'user')}, ${plural(u.files, 'file')}</li>`)
  return `<div class="card" data-project="${e(project.slug)}"><h3><a href="${e(href)}">${e(project.name)}</a></h3><ul>${envs.join('')}</ul></div>`
}

function usageTable(environments: EnvironmentUsage[]): string {
  if (environments.length === 0) return '<p class="muted">No environments yet.</p>'
  const head = FIGURES.map(([, label]) => `<th scope="col">${label}</th>`).join('')
  const rows = environments.map((u) => `<tr data-usage="${e(`${u.projectSlug}/${u.environment}`)}"><th scope="row">${e(u.projectSlug)} / ${e(u.environment)}</th>${FIGURES.map(([key]) => `<td data-figure="${key}">${e(shown(key, u[key] as number))}</td>`).join('')}</tr>`)
  return `<div class="scroll"><table id="usage"><thead><tr><th scope="col">Environment</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
}

function figures(u: EnvironmentUsage): string {
  return `<dl>${FIGURES.map(([key, label]) => `<dt>${label}</dt><dd data-figure="${key}">${e(shown(key, u[key] as number))}</dd>`).join('')}</dl>`
}

function shown(key: keyof EnvironmentUsage, value: number): string {
  return key === 'storageBytes' ? formatBytes(value) : value.toLocaleString('en-US')
}
