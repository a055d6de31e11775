import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { CliApi, lakemirror, startCliApi } from './cli.fixture';

// lakemirror pause, resume and freshness against a running API, on a mirror row of the test's own: what scripts rely on (--json, exit status).
describe('lakemirror pause, resume, freshness', () => {
  const environment = testEnvironment();
  const repo = uniqueName('cli-pause');
  const mirror = `${repo}-eu`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let cli: CliApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliApi('lm_cli_pause');
    ({ schema, env } = cli);
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by, max_lag_seconds) VALUES ($1, $2, 'region-b', $3, 'active', 'admin', 60)`,
      [mirror, repo, `s3://${environment.regionB.bucket}/mirrors/${mirror}`],
    );
    await schema.db.query(
      `INSERT INTO branch_states (mirror_id, branch, source_head, observed_sequence, mirrored_head, mirrored_sequence) VALUES ($1, 'main', 'c1', 1, 'c1', 1)`,
      [mirror],
    );
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('lists pause, resume and freshness in the help', async () => {
    const help = await lakemirror(['--help'], env);
    for (const command of ['pause', 'resume', 'freshness']) expect(help.stdout).toContain(`lakemirror ${command} `);
  });

  it('pauses and resumes a mirror, in words or JSON', async () => {
    const paused = await lakemirror(['pause', repo, mirror], env);
    expect(paused).toMatchObject({ code: 0, stderr: '' });
    expect(paused.stdout).toMatch(new RegExp(`^mirror ${mirror} of ${repo} paused since \\d{4}-\\d\\d-\\d\\dT.*Z\\n$`));
    const again = await lakemirror(['pause', repo, mirror, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: mirror, paused: true });

    expect(await lakemirror(['resume', repo, mirror], env)).toMatchObject({ code: 0, stdout: `mirror ${mirror} of ${repo} resumed: catching up\n` });
    expect(JSON.parse((await lakemirror(['resume', repo, mirror, '--json'], env)).stdout)).toMatchObject({ paused: false, paused_at: null });
  });

  it('exits 0 for a fresh branch and 5 for a stale one, with the reason', async () => {
    const fresh = await lakemirror(['freshness', repo, mirror, 'main'], env);
    expect(fresh).toMatchObject({ code: 0 });
    expect(fresh.stdout).toContain(`branch "main" of mirror "${mirror}" is fresh`);

    await schema.db.query(`UPDATE mirrors SET paused_at = now() - interval '300 seconds' WHERE id = $1`, [mirror]);
    const stale = await lakemirror(['freshness', repo, mirror, 'main'], env);
    expect(stale.code).toBe(5);
    expect(stale.stderr).toContain('409: branch "main" of mirror');
    expect(stale.stderr).toContain('has been paused for');
    await schema.db.query(`UPDATE mirrors SET paused_at = NULL WHERE id = $1`, [mirror]);
  });

  it('exits 4 naming the mirror when it does not exist, 2 for missing arguments', async () => {
    const missing = await lakemirror(['pause', repo, 'no-such-mirror'], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(`mirror "no-such-mirror" of repository "${repo}" not found`);
    expect((await lakemirror(['resume', repo], env)).code).toBe(2);
    expect((await lakemirror(['freshness', repo, mirror], env)).code).toBe(2);
  });
});
