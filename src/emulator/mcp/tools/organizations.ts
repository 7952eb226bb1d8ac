import { pageOf } from '../../core/paging.js'
import { param, str, type ToolDef } from '../tool.js'

/** Organizations the tenant belongs to; the only tools not bounded by the session's organization. */
export const organizationTools: ToolDef[] = [
  {
    name: 'backend_org_list',
    description: 'List the organizations you are a member of, with your role in each.',
    scope: 'organization:read',
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => pageOf(core.orgs.list(actor.tenantId), args.page, args.limit),
  },
  {
    name: 'backend_org_get',
    description: 'Get one organization by id.',
    scope: 'organization:read',
    params: { organizationId: str('organization id (24 hex)') },
    required: ['organizationId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.orgs.get(actor.tenantId, param(args, 'organizationId')),
  },
  {
    name: 'backend_org_create',
    description: '(extension) Create an organization with you as its owner. The session stays bound to its current organization.',
    scope: 'organization:create',
    body: {
      properties: { name: str('1–100 characters'), slug: str('unique slug; derived from the name when omitted'), description: str('up to 1000 characters') },
      required: ['name'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.orgs.create(actor.tenantId, args.body),
  },
]
