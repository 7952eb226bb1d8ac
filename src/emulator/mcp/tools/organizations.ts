import { pageOf } from '../../core/paging.js'
import { optionalParam, param, str, type ToolDef } from '../tool.js'

/** The organization a tool acts on: the one it names, else the session's; one the tenant is not a member of is not found. */
export const orgParam = { organizationId: str("organization id (24 hex); default: the session's organization") }

/**
 * Organizations the tenant belongs to: not bounded by the session's organization, but by the tenant's
 * memberships (a tenant acts in any organization it is a member of, with its role there).
 */
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
  {
    name: 'backend_org_update',
    description: '(extension) Update an organization: name, displayName, description, slug (unique). Owner or admin.',
    scope: 'organization:update',
    params: orgParam,
    body: {
      properties: { name: str('1–100 characters'), displayName: str('up to 100 characters, or null'), description: str('up to 1000 characters, or null'), slug: str('^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$, unique') },
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.orgs.update(core.orgs.within(actor, optionalParam(args, 'organizationId')), args.body),
  },
  {
    name: 'backend_org_delete',
    description: '(extension) Delete an organization with its members, invitations, projects (environments, tables, records, users, files), API keys and OAuth grants. Owner only.',
    scope: 'organization:delete',
    params: { organizationId: str('organization id (24 hex)') },
    required: ['organizationId'],
    destructive: true,
    run: ({ core, actor }, args) => core.orgs.delete(core.orgs.within(actor, param(args, 'organizationId'))),
  },
  {
    name: 'backend_org_transfer',
    description: '(extension) Transfer ownership to another member; you become an admin. Owner only.',
    scope: 'organization:update',
    params: { ...orgParam, tenantId: str('the tenant id of the member who becomes the owner') },
    required: ['tenantId'],
    destructive: true,
    run: ({ core, actor }, args) => core.orgs.transfer(core.orgs.within(actor, optionalParam(args, 'organizationId')), param(args, 'tenantId')),
  },
  {
    name: 'backend_org_leave',
    description: '(extension) Leave an organization. The owner cannot leave: transfer ownership first.',
    scope: 'member:delete',
    params: { organizationId: str('organization id (24 hex)') },
    required: ['organizationId'],
    destructive: true,
    run: ({ core, actor }, args) => core.orgs.leave(core.orgs.within(actor, param(args, 'organizationId'))),
  },
  {
    name: 'backend_org_usage',
    description: "(extension) The organization's plan and, per environment, records, users, files, storage bytes and requests today (UTC, counted since the emulator started).",
    scope: 'organization:read',
    params: orgParam,
    readOnly: true,
    run: ({ core, actor }, args) => core.usage.of(core.orgs.within(actor, optionalParam(args, 'organizationId'))),
  },
]
