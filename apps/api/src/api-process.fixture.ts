// Test support: the API started as its own process (real HTTP, real configuration) on a free
// port, against a PostgreSQL schema of the test's own, migrated first.
import { PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { AppProcess, startAppProcess } from '@lakemirror/testing';
import type { DataSource } from 'typeorm';

export { migratedSchema } from '@lakemirror/test-environment';
export type ApiProcess = AppProcess;

export function startApi(schema: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  return startAppProcess('api', { LAKEMIRROR_DATABASE_SCHEMA: schema, ...env });
}

/** Replaces every policy of the schema with `policies`, attached to `user`. */
export async function grantPolicies(db: DataSource, user: string, ...policies: Policy[]): Promise<void> {
  await db.getRepository(PolicyAttachmentEntity).clear();
  await db.query('DELETE FROM policies');
  for (const policy of policies) {
    await db.getRepository(PolicyEntity).save({ id: policy.id, document: policy });
    await db.getRepository(PolicyAttachmentEntity).insert({ policyId: policy.id, principalType: 'user', principalId: user });
  }
}
