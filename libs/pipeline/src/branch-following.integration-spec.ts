import { EnvReader, loadConfig } from '@lakemirror/config';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { BranchFollowingService } from './branch-following.service';
import { PipelineUnderTest, createPipeline, registerMirror } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// Branch filters against the real source lakeFS, the pipeline's services in-process without
// workers (so that commits stay unfinished): the scanner follows only the branches the filter
// matches and never discovers the others' commits; a narrower filter drops the branches it no
// longer matches and the unfinished commits only they led to; a wider one is followed at the
// next scan.
describe('branch following', () => {
  const env = testEnvironment();
  const { source } = env;
  const repository = uniqueName('follow-src');
  const mirror = `${repository}-m`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  let following: BranchFollowingService;
  const heads: Record<string, string> = {};
  const known = async () =>
    (await schema.db.query(`SELECT commit_id FROM mirror_commits WHERE mirror_id = $1`, [mirror])).map((r: { commit_id: string }) => r.commit_id);
  const tracked = async () => (await pipeline.branches.all(mirror)).map((b) => b.branch);
  const commitOn = async (branch: string, key: string) => {
    await source.lakefs.uploadObject(repository, branch, key, `${branch} ${key}`);
    heads[branch] = (await source.lakefs.commit(repository, branch, { message: `${key} on ${branch}` })).id;
  };

  beforeAll(async () => {
    schema = await migratedSchema('lm_follow');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({})),
    );
    following = pipeline.app.get(BranchFollowingService, { strict: false });
    await source.lakefs.createRepository({ name: repository, storage_namespace: `s3://${source.bucket}/mirrors/${repository}`, default_branch: 'main' });
    await commitOn('main', 'base');
    for (const branch of ['release-1', 'release-old-1', 'dev']) {
      await source.lakefs.createBranch(repository, branch, 'main');
      await commitOn(branch, `only-${branch}`);
    }
    await registerMirror(schema.db, env.regionB.lakefs, {
      id: mirror,
      sourceRepository: repository,
      storageNamespace: `s3://${env.regionB.bucket}/mirrors/${repository}`,
    });
    await schema.db.query(`UPDATE mirrors SET branch_include = $2, branch_exclude = $3 WHERE id = $1`, [
      mirror,
      JSON.stringify(['main', 'release-*']),
      JSON.stringify(['release-old*']),
    ]);
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await source.lakefs.deleteRepository(repository).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  it('follows only the branches the filter matches and never discovers the commits only the others have', async () => {
    expect(await pipeline.scanner.scanMirror(mirror)).toMatchObject({ created: 2, deleted: 0 });
    expect((await tracked()).sort()).toEqual(['main', 'release-1']);
    const commits = await known();
    expect(commits).toEqual(expect.arrayContaining([heads.main, heads['release-1']]));
    expect(commits).not.toContain(heads['release-old-1']);
    expect(commits).not.toContain(heads.dev);
  });

  it('drops a branch the filter no longer matches, with the unfinished commits only it led to', async () => {
    const change = await following.changeFilter(mirror, { include: ['main', 'dev'], exclude: [] }, 'keep');
    expect(change).toEqual({ outcome: 'changed', unfollowed: ['release-1'], deleted: [], forgottenCommits: 1 });
    expect(await tracked()).toEqual(['main']);
    const commits = await known();
    expect(commits).toContain(heads.main);
    expect(commits).not.toContain(heads['release-1']);
    const [row] = await schema.db.query(`SELECT branch_include, branch_exclude FROM mirrors WHERE id = $1`, [mirror]);
    expect(row).toEqual({ branch_include: ['main', 'dev'], branch_exclude: [] });
  });

  it('follows a newly matched branch from the next scan, and not the dropped one even when it moves', async () => {
    await commitOn('release-1', 'later');
    expect(await pipeline.scanner.scanMirror(mirror)).toMatchObject({ created: 1, moved: 0, deleted: 0 });
    expect((await tracked()).sort()).toEqual(['dev', 'main']);
    const commits = await known();
    expect(commits).toContain(heads.dev);
    expect(commits).not.toContain(heads['release-1']);
  });

  it('keeps the commits a followed branch still needs when another branch that shares them is dropped', async () => {
    await source.lakefs.createBranch(repository, 'release-2', 'dev');
    await following.changeFilter(mirror, { include: ['main', 'dev', 'release-2'], exclude: [] }, 'keep');
    await pipeline.scanner.scanMirror(mirror);
    const change = await following.changeFilter(mirror, { include: ['main', 'release-2'], exclude: [] }, 'keep');
    expect(change).toMatchObject({ outcome: 'changed', unfollowed: ['dev'], forgottenCommits: 0 });
    expect(await known()).toContain(heads.dev);
  });

  it('changes nothing of a mirror that is not active', async () => {
    await schema.db.query(`UPDATE mirrors SET state = 'deleting' WHERE id = $1`, [mirror]);
    expect(await following.changeFilter(mirror, { include: ['*'], exclude: [] }, 'delete')).toEqual({ outcome: 'not-active' });
    const [row] = await schema.db.query(`SELECT branch_include FROM mirrors WHERE id = $1`, [mirror]);
    expect(row.branch_include).toEqual(['main', 'release-2']);
    expect((await tracked()).sort()).toEqual(['main', 'release-2']);
  });
});
