import { pageOf } from '../../core/paging.js'
import { obj, optionalParam, param, str, type ToolDef } from '../tool.js'

const projectId = { projectId: str('project id (24 hex)') }

/** Projects of the session's organization. */
export const projectTools: ToolDef[] = [
  {
    name: 'backend_project_list',
    description: 'List the projects of the organization, with settings and environmentCount.',
    scope: 'project:read',
    params: { organizationId: str('optional; must be the session organization') },
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => pageOf(core.projects.list(actor, optionalParam(args, 'organizationId')), args.page, args.limit),
  },
  {
    name: 'backend_project_get',
    description: 'Get a project with its environments.',
    scope: 'project:read',
    params: projectId,
    required: ['projectId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.projects.get(actor, param(args, 'projectId')),
  },
  {
    name: 'backend_project_create',
    description: 'Create a project; its "dev" environment is created with it and is active at once.',
    scope: 'project:create',
    body: {
      properties: {
        organizationId: str('the session organization id'),
        slug: str('^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$, unique in the organization'),
        name: str('1–100 characters'),
        primaryCloud: str('cloud provider', { enum: ['aws', 'gcp', 'azu'] }),
        primaryRegion: str('region, e.g. ap-northeast-2'),
        description: str('up to 1000 characters'),
      },
      required: ['organizationId', 'slug', 'name', 'primaryCloud', 'primaryRegion'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.projects.create(actor, args.body),
  },
  {
    name: 'backend_project_update',
    description: 'Update a project: name, slug, description, settings (merged key by key; settings.allowedOrigins: at most 3 URLs).',
    scope: 'project:update',
    params: projectId,
    required: ['projectId'],
    body: {
      properties: { name: str('1–100 characters'), slug: str('new slug'), description: str('up to 1000 characters'), settings: obj('merged into the current settings') },
    },
    run: ({ core, actor }, args) => core.projects.update(actor, param(args, 'projectId'), args.body),
  },
  {
    name: 'backend_project_delete',
    description: '(extension) Delete a project with all its environments, tables, records, users, files and API keys.',
    scope: 'project:delete',
    params: projectId,
    required: ['projectId'],
    destructive: true,
    run: ({ core, actor }, args) => core.projects.delete(actor, param(args, 'projectId')),
  },
]
