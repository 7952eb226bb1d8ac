import { pageOf } from '../../core/paging.js'
import { optionalParam, str, type ToolDef } from '../tool.js'

/** The organization's activity log (console "Audit"), newest first. */
export const activityTools: ToolDef[] = [
  {
    name: 'backend_org_activity_list',
    description:
      '(extension) List the design-time changes of an organization, newest first: who (tenant id and e-mail), what (`<resource>.<verb>`, e.g. table.create), which resource, when, and through which client (cli, mcp, console). Filters combine.',
    scope: 'organization:read',
    params: {
      organizationId: str('organization id (24 hex); default: the session\'s organization'),
      action: str('an action (table.create) or its resource part (table), matching every verb'),
      actorEmail: str('only changes by the tenant with this e-mail'),
      resourceType: str('only changes of this resource type: organization, project, environment, table, api-key, member, invitation, record, …'),
      client: str('only changes made through this kind of client', { enum: ['cli', 'mcp', 'console'] }),
      since: str('ISO 8601 date-time: changes at or after it'),
      until: str('ISO 8601 date-time: changes at or before it'),
    },
    list: { defaultLimit: 50 },
    readOnly: true,
    run: ({ core, actor }, args) => {
      const filter = { action: optionalParam(args, 'action'), email: optionalParam(args, 'actorEmail'), resourceType: optionalParam(args, 'resourceType'), client: optionalParam(args, 'client'), since: optionalParam(args, 'since'), until: optionalParam(args, 'until') }
      return pageOf(core.activity.list(actor, optionalParam(args, 'organizationId') ?? actor.organizationId, filter), args.page, args.limit)
    },
  },
]
