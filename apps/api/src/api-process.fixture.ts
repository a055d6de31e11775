// Test support: the API started as its own process (real HTTP, real configuration) on a free
// port, against a PostgreSQL schema of the test's own, migrated first.
import { AppProcess, startAppProcess } from '@lakemirror/testing';

export { migratedSchema } from '@lakemirror/test-environment';
export type ApiProcess = AppProcess;

export function startApi(schema: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  return startAppProcess('api', { LAKEMIRROR_DATABASE_SCHEMA: schema, ...env });
}
