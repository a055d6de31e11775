import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { CliApi, lakemirror, startCliApi } from './cli.fixture';

// The CLI's mirror commands against a running API and the real lakeFS installations: what scripts rely on (--json, exit status).
describe('lakemirror list, create, show, update, delete', () => {
  const environment = testEnvironment();
  const repo = uniqueName('cli-src');
  const mirror = `${repo}-eu`;
  const namespace = `s3://${environment.regionB.bucket}/mirrors/${repo}`;
  let cli: CliApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    cli = await startCliApi('lm_cli_crud');
    env = cli.env;
    await environment.source.lakefs.createRepository({
      name: repo,
      storage_namespace: `s3://${environment.source.bucket}/mirrors/${repo}`,
      default_branch: 'main',
    });
  });
  afterAll(async () => {
    await environment.source.lakefs.deleteRepository(repo).catch(() => undefined);
    await environment.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    await cli?.stop();
  });

  it('lists every command with its usage and the meaning of the exit status', async () => {
    const help = await lakemirror(['--help'], env);
    expect(help.code).toBe(0);
    for (const command of ['list', 'show', 'create', 'update', 'delete', 'status', 'retry']) expect(help.stdout).toContain(`lakemirror ${command} `);
    expect(help.stdout).toContain('4 not found (404)');
    expect(await lakemirror(['frobnicate'], env)).toMatchObject({
      code: 2,
      stderr: 'lakemirror: unknown command "frobnicate"; lakemirror --help lists the commands\n',
    });
  });

  it('creates a mirror, shows and lists it, and deletes it only once confirmed', async () => {
    const created = await lakemirror(['create', repo, mirror, '--region', 'region-b', '--storage-namespace', namespace, '--json'], env);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(created.stdout)).toMatchObject({ id: mirror, source_repository: repo, region: 'region-b', storage_namespace: namespace });
    expect((await environment.regionB.lakefs.getRepository(mirror)).read_only).toBe(true);

    const list = await lakemirror(['list', repo, '--json'], env);
    expect(JSON.parse(list.stdout).results.map((m: { id: string }) => m.id)).toEqual([mirror]);
    expect((await lakemirror(['list', repo], env)).stdout).toMatch(
      new RegExp(`^MIRROR +REGION +STATE +STORAGE NAMESPACE\\n${mirror} +region-b +active +${namespace}\\n$`),
    );
    expect((await lakemirror(['show', repo, mirror], env)).stdout).toContain(`storage_namespace  ${namespace}`);

    expect(await lakemirror(['delete', repo, mirror], env)).toMatchObject({
      code: 2,
      stderr: `lakemirror: delete mirror ${mirror} of ${repo} and its repository? (no terminal to ask on: pass --yes to confirm)\n`,
    });
    expect((await lakemirror(['delete', repo, mirror, '--yes'], env)).code).toBe(0);
    expect(await lakemirror(['show', repo, mirror], env)).toMatchObject({ code: 4, stdout: '' });
  });

  it('says in one line what was wrong with a request, with an exit status per kind', async () => {
    const outside = await lakemirror(['create', repo, `${repo}-x`, '--region', 'region-b', '--storage-namespace', 's3://elsewhere/x'], env);
    expect(outside.code).toBe(6);
    expect(outside.stderr).toMatch(/^lakemirror: 400: .*storage_namespace.*\n$/);
    expect(await lakemirror(['create', repo, `${repo}-x`, '--region', 'region-b'], env)).toMatchObject({
      code: 2,
      stderr: 'lakemirror: create needs --region and --storage-namespace\n',
    });
    expect(await lakemirror(['update', repo, mirror], env)).toMatchObject({ code: 2, stderr: 'lakemirror: update needs at least one setting to change\n' });
    expect((await lakemirror(['list', repo], { ...env, LAKEMIRROR_API_URL: 'http://127.0.0.1:9' })).code).toBe(7);
  });
});
