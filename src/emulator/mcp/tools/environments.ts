import { pageOf } from '../../core/paging.js'
import { requireString } from '../../core/input.js'
import { optionalParam, param, str, type ToolDef } from '../tool.js'

const environmentId = { environmentId: str('environment id (24 hex)') }

/** Environments (dev, staging, prod, …) of the organization's projects. */
export const environmentTools: ToolDef[] = [
  {
    name: 'backend_env_list',
    description: 'List environments, optionally of one project, with their status.',
    scope: 'environment:read',
    params: { projectId: str('optional project id') },
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => {
      const projectId = optionalParam(args, 'projectId')
      if (projectId) core.projects.owned(actor, projectId)
      return pageOf(core.envs.list(actor, projectId), args.page, args.limit)
    },
  },
  {
    name: 'backend_env_get',
    description: 'Get one environment.',
    scope: 'environment:read',
    params: environmentId,
    required: ['environmentId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.envs.get(actor, param(args, 'environmentId')),
  },
  {
    name: 'backend_env_create',
    description: 'Create an environment in a project; it is active at once, with its own empty tables, users, keys and files.',
    scope: 'environment:create',
    body: {
      properties: {
        projectId: str('project id'),
        environment: str('name, ^[a-z][a-z0-9-]{0,31}$, unique in the project'),
        environmentType: str('type', { enum: ['dev', 'staging', 'prod', 'custom'] }),
      },
      required: ['projectId', 'environment', 'environmentType'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => {
      const project = core.projects.owned(actor, requireString('projectId', args.body.projectId, { max: 64 }))
      return core.envs.create(actor, args.body, project)
    },
  },
  {
    name: 'backend_env_delete',
    description: '(extension) Delete an environment with its tables, records, users, files and API keys.',
    scope: 'environment:delete',
    params: environmentId,
    required: ['environmentId'],
    destructive: true,
    run: ({ core, actor }, args) => core.envs.delete(actor, param(args, 'environmentId')),
  },
]
