import { EmulatorControls } from '../client/emulator-controls.js'
import { ClientError } from '../client/errors.js'
import type { KeyLookup } from '../contract/emulator.js'
import { CliError } from './errors.js'
import type { KeySource, TargetContext, ValueSource } from './target.js'

const KEY_FROM: Record<KeySource, string> = { flag: '--secret-key', env: 'BKEND_SECRET_KEY', credentials: 'the saved credentials', local: 'runtime.json' }
const ENV_NAMED_BY: Partial<Record<ValueSource, string>> = { flag: '--env', env: 'BKEND_ENV', link: 'bkend.json', profile: 'the profile' }
const PROJECT_NAMED_BY: Partial<Record<ValueSource, string>> = { flag: '--project', env: 'BKEND_PROJECT', link: 'bkend.json', profile: 'the profile' }

/**
 * Asks the local emulator which project and environment a key belongs to, before any request is sent, and
 * returns that environment. A key of another environment than the one the command names (by flag, variable,
 * bkend.json or profile) is an error naming both; with none named, the key's own environment applies.
 */
export async function checkLocalKey(context: TargetContext, secretKey: string, source: KeySource): Promise<string> {
  const owner = await lookup(context, secretKey, source)
  const namedBy = ENV_NAMED_BY[context.sources.env]
  if (namedBy && owner.environment !== context.env) {
    throw new CliError(
      `the secret key from ${KEY_FROM[source]} belongs to environment "${owner.environment}", but ${namedBy} names "${context.env}"`,
      `use a key of "${context.env}" ('bkend keys create <name> --env ${context.env} --type secret --save'), or act on "${owner.environment}" with --env ${owner.environment}`,
      1,
      'target/key-environment-mismatch',
    )
  }
  const projectNamedBy = context.sources.project && PROJECT_NAMED_BY[context.sources.project]
  if (projectNamedBy && context.project !== owner.projectId && context.project !== owner.projectSlug) {
    throw new CliError(
      `the secret key from ${KEY_FROM[source]} belongs to project "${owner.projectSlug}", but ${projectNamedBy} names "${context.project}"`,
      `use a key of project "${context.project}", or pass --project ${owner.projectSlug}`,
      1,
      'target/key-project-mismatch',
    )
  }
  return owner.environment
}

/** Remote targets cannot say whose a key is; a named environment would look checked when it is not. */
export function noteUncheckedKey(context: TargetContext, source: KeySource): void {
  const named = context.sources.env === 'env' ? `BKEND_ENV=${context.env}` : `--env ${context.env}`
  process.stderr.write(`Note: ${context.target} cannot tell which environment a key belongs to: the key from ${KEY_FROM[source]} decides, ${named} is not checked.\n`)
}

async function lookup(context: TargetContext, secretKey: string, source: KeySource): Promise<KeyLookup> {
  const controls = new EmulatorControls(context.restUrl, context.runtime!.tenantToken)
  try {
    return await controls.lookupKey(secretKey)
  } catch (error) {
    if (!(error instanceof ClientError)) throw error
    if (error.status === 404) {
      throw new CliError(
        `the secret key from ${KEY_FROM[source]} is not a key of the emulator at ${context.restUrl}: it was deleted (deleting an environment deletes its keys), or it belongs to another emulator`,
        `${source === 'credentials' ? 'the saved key is out of date' : 'check the key (--secret-key or BKEND_SECRET_KEY)'}: list the environments with 'bkend envs list' and use a key of one of them ('bkend keys create <name> --env <env> --type secret --save')`,
        1,
        'target/unknown-key',
      )
    }
    if (error.status === 0) {
      throw new CliError(`no bkend dev answers at ${context.restUrl} (${context.dataDir}/runtime.json is left from an earlier run)`, "start it with 'bkend dev', or pass --data-dir <dir> of the one that is running", 1, 'target/no-emulator')
    }
    throw new CliError(`the emulator at ${context.restUrl} would not say whose the secret key is: ${error.message}`, `restart bkend dev: its runtime.json may be out of date`, 1, error.code)
  } finally {
    await controls.close()
  }
}
