import type { EnvironmentDoc } from '../tenancy/model.js'
import { NEW_TABLE_STATE, type BuiltInTable, type FieldDef, type RecordDoc, type TableDoc } from './model.js'

/**
 * Rows of the built-in system tables (users, accounts, sessions, files), provided by the services that own them,
 * already stripped of secrets (password hashes, MFA secrets, token hashes). Until one is attached, those tables
 * read as empty.
 */
export interface SystemTableSource {
  rows(environmentId: string, table: BuiltInTable): RecordDoc[]
}

const s = (extra: Partial<FieldDef> = {}): FieldDef => ({ bsonType: 'string', ...extra })
const SCHEMAS: Record<BuiltInTable, Record<string, FieldDef>> = {
  users: { email: s(), name: s(), role: s(), emailVerified: { bsonType: 'bool' }, image: s(), mfaEnabled: { bsonType: 'bool' } },
  accounts: { userId: { bsonType: 'objectId', ref: 'users' }, type: s(), provider: s(), providerAccountId: s(), email: s(), connectedAt: { bsonType: 'date' } },
  sessions: { userId: { bsonType: 'objectId', ref: 'users' }, userAgent: s(), ipAddress: s(), expiresAt: { bsonType: 'date' } },
  files: { key: s(), filename: s(), mimeType: s(), size: { bsonType: 'int' }, visibility: s(), ownerId: s() },
}

/** The read-only table document a built-in system table presents in an environment. */
export function builtInTable(env: EnvironmentDoc, name: BuiltInTable): TableDoc {
  return {
    id: `${name}:${env.id}`,
    organizationId: env.organizationId,
    projectId: env.projectId,
    environmentId: env.id,
    environment: env.environment,
    tableName: name,
    displayName: name[0]?.toUpperCase() + name.slice(1),
    description: `Built-in system table (${name}); read-only`,
    schema: { bsonType: 'object', required: [], properties: SCHEMAS[name] },
    indexes: [],
    ...NEW_TABLE_STATE,
    createdAt: env.createdAt,
    updatedAt: env.createdAt,
  }
}
