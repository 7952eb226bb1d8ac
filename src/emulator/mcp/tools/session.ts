import { requireString } from '../../core/input.js'
import { roleAllows } from '../../core/tenancy/roles.js'
import { bundledDocs } from '../docs-index.js'
import { str, type ToolContext, type ToolDef } from '../tool.js'

/** The Markdown briefing of mcp.md §6, built from current state (nothing is cached, MCP-D15). */
export function contextMarkdown({ core, actor }: ToolContext): string {
  const origin = core.origin()
  const org = core.orgs.get(actor.tenantId, actor.organizationId)
  const tenant = core.orgs.tenant(actor.tenantId)
  // A Billing member sees the organization only (console-model.md §2.1), so the briefing names no projects then.
  const role = core.orgs.roleOf(actor.tenantId, actor.organizationId)
  const projects = role && roleAllows(role, 'project:read') ? core.projects.list(actor) : null
  const projectLines = projects === null
    ? [`- (your role "${role}" does not read projects)`]
    : projects.length
    ? projects.flatMap((p) => [
        `- **${p.name}** — Project ID \`${p.id}\`, slug \`${p.slug}\``,
        ...core.envs.ofProject(p.id).map((e) => `  - environment \`${e.environment}\` (type ${e.environmentType}) — ID \`${e.id}\``),
      ])
    : ['- (no projects yet — create one with `backend_project_create`)']
  return [
    '# bkend context',
    '',
    '## Your Session',
    `- Organization ID: \`${org.id}\``,
    `- Organization name: ${org.name}`,
    `- Tenant ID: \`${actor.tenantId}\``,
    `- Tenant e-mail: ${tenant?.email ?? 'unknown'}`,
    `- Organization role: ${org.role}`,
    `- REST API Base URL: ${origin}`,
    `- MCP endpoint: ${origin}/mcp`,
    '',
    '## API Domains',
    `- The REST API base URL (${origin}) is for application code: \`${origin}/v1/data/<table>\`, \`${origin}/v1/auth/...\`, \`${origin}/v1/files\`.`,
    '- `/mcp` is only for AI-tool configuration (this session); never call it from app code.',
    '- In the local emulator both live on one origin; the REST base URL is the origin itself.',
    '',
    '## Resource Hierarchy',
    'Organization → Project → Environment (dev / staging / prod) → Table',
    '',
    '## Projects',
    ...projectLines,
    '',
    '## How to find IDs',
    '- Project ID ← `backend_project_list`',
    '- Environment ← `backend_env_list` (projectId)',
    '- Table ← `backend_table_list` (projectId, environment)',
    '- API keys ← `backend_access_token_list` (projectId, environment)',
    '',
    '## Rules for generated code',
    '- Send `X-API-Key: <publishable key>` on every REST call; add `Authorization: Bearer <accessToken>` for calls made as a signed-in user.',
    '- Record ids are `id` (never `_id`).',
    '- Lists return `{ items, pagination }`; single reads return the object directly.',
    '- Secret keys (`sk_…`) belong on servers only, never in browser or mobile code.',
  ].join('\n')
}

/** Markdown search results (mcp.md §6). */
export function searchMarkdown(query: string): string {
  const hits = bundledDocs().search(query)
  const heading = `## Search Results for "${query}"`
  if (hits.length === 0) return `${heading}\n\nNo results found.`
  return `${heading}\n\n${hits.map((hit) => `### ${hit.title}\n\n#### ${hit.heading}\n\n${hit.text}`).join('\n\n---\n\n')}`
}

/** The session helpers: context first, then documentation search. */
export const sessionTools: ToolDef[] = [
  {
    name: 'get_context',
    description: 'Call this first. Returns your session (organization, REST base URL), the resource hierarchy, your projects and environments with their IDs, and the rules for generated code.',
    scope: null,
    readOnly: true,
    markdown: true,
    run: (ctx) => contextMarkdown(ctx),
  },
  {
    name: 'search_docs',
    description: 'Search the bkend documentation (REST usage, auth flows, filters, permissions/RLS, API keys, storage, MCP). Returns Markdown.',
    scope: null,
    params: { query: str('what to look for, 1–500 characters', { minLength: 1, maxLength: 500 }) },
    required: ['query'],
    readOnly: true,
    markdown: true,
    run: (_ctx, args) => searchMarkdown(requireString('query', args.params.query, { max: 500 })),
  },
]
