import type { CreatedAccessToken } from '../contract/tenancy.js'
import { updateCredentials } from './config.js'
import type { TargetContext } from './target.js'

/** Remembers a new secret key for its target, project and environment (replacing an older one for the same). */
export async function saveSecretKey(context: Pick<TargetContext, 'restUrl' | 'project'>, key: CreatedAccessToken): Promise<void> {
  await updateCredentials((credentials) => {
    const same = (k: { restUrl: string; projectId: string; environment: string }) => k.restUrl === context.restUrl && k.projectId === key.projectId && k.environment === key.environment
    credentials.secretKeys = credentials.secretKeys.filter((k) => !same(k))
    credentials.secretKeys.push({ restUrl: context.restUrl, projectId: key.projectId, ...(context.project && context.project !== key.projectId ? { projectSlug: context.project } : {}), environment: key.environment, secretKey: key.key })
  })
}
