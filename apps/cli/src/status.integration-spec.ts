import { migratedSchema } from '@lakemirror/test-environment';
import { CliApi, lakemirror, startCliApi } from './cli.fixture';

// `lakemirror status` against a running API: what a person sees, and one line when it cannot help.
describe('lakemirror status', () => {
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let cli: CliApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliApi('lm_cli');
    ({ schema, env } = cli);
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ('sales-eu', 'sales', 'region-b', 's3://sales-mirror/sales', 'active', 'admin')`,
    );
    await schema.db.query(
      `INSERT INTO branch_states (mirror_id, branch, source_head, observed_sequence, mirrored_head, mirrored_sequence) VALUES ('sales-eu', 'main', 'abcdef0123456789', 1, 'abcdef0123456789', 1)`,
    );
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('prints each branch of the mirror and whether it is up to date', async () => {
    const { code, stdout } = await lakemirror(['status', 'sales', 'sales-eu'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('mirror sales-eu of sales: up to date');
    expect(stdout).toContain('main                    abcdef012345  abcdef012345   up to date');
  });

  it('says in one line what is wrong: an unknown mirror, bad credentials, bad usage', async () => {
    const unknown = await lakemirror(['status', 'sales', 'nope'], env);
    expect(unknown).toMatchObject({ code: 4, stdout: '', stderr: 'lakemirror: 404: mirror "nope" of repository "sales" not found\n' });
    const denied = await lakemirror(['status', 'sales', 'sales-eu'], { ...env, LAKEMIRROR_ACCESS_KEY_ID: 'AKIAWRONG', LAKEMIRROR_SECRET_ACCESS_KEY: 'wrong' });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/^lakemirror: 401: .+\n$/);
    const usage = await lakemirror(['status', 'sales'], env);
    expect(usage).toMatchObject({
      code: 2,
      stderr: 'lakemirror: usage: lakemirror status <source-repository> <mirror> [--watch] [--json]\n',
    });
  });

  it('shows a failed commit with its reason and the branch it holds, and retries it once its cause is fixed', async () => {
    const commit = 'fe'.repeat(32);
    await schema.db.query(
      `INSERT INTO mirror_commits (mirror_id, commit_id, parents, metarange_id, source_commit, creation_date, state, failure_reason, last_error, failed_at)
       VALUES ('sales-eu', $1, '{}', '', $2, 1700000000, 'failed', 'region_not_configured', 'mirror sales-eu: region region-c is not configured', now())`,
      [commit, { id: commit, message: 'nightly load' }],
    );
    await schema.db.query(`UPDATE branch_states SET source_head = $1, observed_sequence = 2 WHERE mirror_id = 'sales-eu'`, [commit]);
    const status = await lakemirror(['status', 'sales', 'sales-eu'], env);
    expect(status.stdout).toContain(
      'mirror sales-eu of sales: FAILED: 1 commit(s) failed for good; fix the cause, then: lakemirror retry sales sales-eu <commit>',
    );
    expect(status.stdout).toContain(`held by failed commit(s) ${commit.slice(0, 12)}`);
    expect(status.stdout).toContain('region_not_configured since ');
    expect(status.stdout).toContain(': mirror sales-eu: region region-c is not configured');

    expect(await lakemirror(['retry', 'sales', 'sales-eu', commit], env)).toMatchObject({ code: 0, stdout: `commit ${commit} planned again\n` });
    expect(await lakemirror(['retry', 'sales', 'sales-eu', commit], env)).toMatchObject({
      code: 5,
      stderr: `lakemirror: 409: commit "${commit}" of mirror "sales-eu" is pending: only a failed commit can be retried\n`,
    });
    expect((await lakemirror(['status', 'sales', 'sales-eu'], env)).stdout).toContain('mirror sales-eu of sales: mirroring');
  });
});
