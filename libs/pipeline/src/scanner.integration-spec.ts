import { EnvReader, loadConfig } from '@lakemirror/config';
import { QueueName } from '@lakemirror/queues';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// The scanner's cost and discoveries against the real source lakeFS: an idle scan is one branch
// listing and nothing else; a moved branch reads the log for that branch only, back to known
// commits, merges' parents included, each new commit enqueued once.
describe('scanner', () => {
  const env = testEnvironment();
  const repository = uniqueName('scan-src');
  const mirror = `${repository}-m`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  const known = async () =>
    (await schema.db.query(`SELECT commit_id FROM mirror_commits WHERE mirror_id = $1`, [mirror])).map((r: { commit_id: string }) => r.commit_id).sort();
  const planJobs = async () =>
    (await pipeline.queues.queue(QueueName.CommitVerify).getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'plan-commit').length;

  beforeAll(async () => {
    schema = await migratedSchema('lm_scan');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({})),
    );
    await env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${env.source.bucket}/mirrors/${repository}`,
      default_branch: 'main',
    });
    await env.source.lakefs.uploadObject(repository, 'main', 'a', 'a');
    await env.source.lakefs.commit(repository, 'main', { message: 'a' });
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'test')`,
      [mirror, repository, `s3://${env.regionB.bucket}/mirrors/${repository}`],
    );
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await env.source.lakefs.deleteRepository(repository).catch(() => undefined);
  });

  it('discovers the history once, then an idle scan only lists the branches', async () => {
    expect(await pipeline.scanner.scanMirror(mirror)).toEqual({ created: 1, moved: 0, deleted: 0, newCommits: 2 });
    expect(await planJobs()).toBe(2);
    const listBranches = jest.spyOn(pipeline.contexts.source, 'listBranches');
    const log = jest.spyOn(pipeline.contexts.source, 'log');
    expect(await pipeline.scanner.scanMirror(mirror)).toEqual({ created: 0, moved: 0, deleted: 0, newCommits: 0 });
    expect(listBranches).toHaveBeenCalledTimes(1);
    expect(log).not.toHaveBeenCalled();
    expect(await planJobs()).toBe(2);
    jest.restoreAllMocks();
  });

  it('reads the log of a moved branch only, back to known commits, following both parents of a merge', async () => {
    const before = await known();
    await env.source.lakefs.createBranch(repository, 'feature', 'main');
    await env.source.lakefs.uploadObject(repository, 'feature', 'f', 'f');
    const feature = await env.source.lakefs.commit(repository, 'feature', { message: 'f' });
    await env.source.lakefs.uploadObject(repository, 'main', 'b', 'b');
    const main = await env.source.lakefs.commit(repository, 'main', { message: 'b' });
    const merge = await env.source.lakefs.merge(repository, 'feature', 'main');
    const log = jest.spyOn(pipeline.contexts.source, 'log');
    expect(await pipeline.scanner.scanMirror(mirror)).toEqual({ created: 1, moved: 1, deleted: 0, newCommits: 3 });
    expect(log.mock.calls.map((call) => call[1]).sort()).toEqual([feature.id, merge].sort());
    expect(await known()).toEqual([...before, feature.id, main.id, merge].sort());
    expect(await planJobs()).toBe(5);
    jest.restoreAllMocks();
  });
});
