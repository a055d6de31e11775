import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { migratedSchema } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess } from '@lakemirror/testing';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../bin/lakemirror');

/** Runs bin/lakemirror; resolves with its exit code and outputs whatever the code. */
async function lakemirror(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// `lakemirror status` against a running API: what a person sees, and one line when it cannot help.
describe('lakemirror status', () => {
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: AppProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    schema = await migratedSchema('lm_cli');
    api = await startAppProcess('api', { LAKEMIRROR_DATABASE_SCHEMA: schema.schema, LAKEMIRROR_ADMIN_USERS: 'admin' });
    env = { LAKEMIRROR_API_URL: api.url };
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ('sales-eu', 'sales', 'region-b', 's3://b/sales', 'active', 'admin')`,
    );
    await schema.db.query(
      `INSERT INTO branch_states (mirror_id, branch, source_head, observed_sequence, mirrored_head, mirrored_sequence) VALUES ('sales-eu', 'main', 'abcdef0123456789', 1, 'abcdef0123456789', 1)`,
    );
  });
  afterAll(async () => {
    await api?.stop();
    await schema?.drop();
  });

  it('prints each branch of the mirror and whether it is up to date', async () => {
    const { code, stdout } = await lakemirror(['status', 'sales', 'sales-eu'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('mirror sales-eu of sales: up to date');
    expect(stdout).toContain('main                    abcdef012345  abcdef012345   up to date');
  });

  it('says in one line what is wrong: an unknown mirror, bad credentials, bad usage', async () => {
    const unknown = await lakemirror(['status', 'sales', 'nope'], env);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'lakemirror: 404: mirror "nope" of repository "sales" not found\n' });
    const denied = await lakemirror(['status', 'sales', 'sales-eu'], { ...env, LAKEMIRROR_ACCESS_KEY_ID: 'AKIAWRONG', LAKEMIRROR_SECRET_ACCESS_KEY: 'wrong' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^lakemirror: 401: .+\n$/);
    const usage = await lakemirror(['status', 'sales'], env);
    expect(usage).toMatchObject({ code: 1, stderr: 'lakemirror: usage: lakemirror status <source-repository> <mirror> [--watch]\n' });
  });
});
