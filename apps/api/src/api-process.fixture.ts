// Test support: the API started as its own process (real HTTP, real configuration) on a free
// port, against a PostgreSQL schema of the test's own, migrated first.
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createDataSource } from '@lakemirror/persistence';
import { createTestSchema, freePort, waitFor } from '@lakemirror/testing';
import { DataSource } from 'typeorm';

const root = path.resolve(__dirname, '../../..');


export interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startApi(schema: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn('bash', ['scripts/run-app.sh', 'api'], {
    cwd: root,
    env: { ...process.env, LAKEMIRROR_API_PORT: String(port), LAKEMIRROR_DATABASE_SCHEMA: schema, LAKEMIRROR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => (errors += d));
  child.stdout?.on('data', (d) => (errors += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`the API on ${url}`, async () => (await fetch(`${url}/health`)).ok, { timeoutMs: 30_000 });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output: ${errors.slice(-2000)}`);
  }
  return {
    url,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A migrated schema of the test's own and a data source on it. */
export async function migratedSchema(): Promise<{ schema: string; db: DataSource; drop(): Promise<void> }> {
  const url = process.env.LAKEMIRROR_DATABASE_URL as string;
  const created = await createTestSchema(url, 'lm_api');
  const db = await createDataSource(url, { schema: created.schema }).initialize();
  await db.runMigrations();
  return {
    schema: created.schema,
    db,
    async drop() {
      await db.destroy();
      await created.drop();
    },
  };
}
