import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { CliApi, lakemirror, startCliApi } from './cli.fixture';

// `lakemirror promote` against a running API and the region's lakeFS: it asks first (no terminal
// and no --yes: nothing happens), then promotes a mirror (here one that holds nothing yet) to a
// writable repository; scripts read --json and the exit status.
describe('lakemirror promote', () => {
  const environment = testEnvironment();
  const repo = uniqueName('cli-promote');
  const mirror = `${repo}-eu`;
  let cli: CliApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliApi('lm_cli_promote');
    env = cli.env;
    await environment.source.lakefs.createRepository({
      name: repo,
      storage_namespace: `s3://${environment.source.bucket}/mirrors/${repo}`,
      default_branch: 'main',
    });
    const created = await lakemirror(
      ['create', repo, mirror, '--region', 'region-b', '--storage-namespace', `s3://${environment.regionB.bucket}/mirrors/${repo}`],
      env,
    );
    expect(created.code).toBe(0);
  });
  afterAll(async () => {
    await environment.source.lakefs.deleteRepository(repo).catch(() => undefined);
    await environment.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    await cli?.stop();
  });

  it('asks first, promotes with --yes, says so in --json, and finds nothing to do the second time', async () => {
    const unconfirmed = await lakemirror(['promote', repo, mirror], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect((await environment.regionB.lakefs.getRepository(mirror)).read_only).toBe(true);

    const promoted = await lakemirror(['promote', repo, mirror, '--yes', '--json'], env);
    expect(promoted.code).toBe(0);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ mirror, source_repository: repo, state: 'promoted', step: 'done', forced: false });
    expect((await environment.regionB.lakefs.getRepository(mirror)).read_only).toBe(false);

    const again = await lakemirror(['promote', repo, mirror, '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`mirror ${mirror} of ${repo} is now a writable repository on region region-b (promoted)`);
    expect((await lakemirror(['promote', repo, `${repo}-nowhere`, '--yes'], env)).code).toBe(4);
  });
});
