import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit } from '@lakemirror/lakefs-client';
import { QueueName, jobId } from '@lakemirror/queues';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { MirrorPlanLock } from './mirror-plan-lock';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { NotReplicatedYetError } from './pipeline.errors';
import { readPipelineSettings } from './pipeline-settings';

// A backlog is planned in batches: one plan job plans its commit with its pending descendants
// (bulk statements, one flow request), their own jobs then find them planned; a commit
// whose metarange has not arrived is left to its own job. Commits with no metarange (a
// repository's first commits) need no files in the bucket.
describe('planning a backlog in batches', () => {
  const env = testEnvironment();
  const mirror = uniqueName('plan-m');
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  const commit = (id: string, parent?: string, metaRangeId = ''): Commit => ({
    id,
    parents: parent ? [parent] : [],
    committer: 'test',
    message: id,
    creation_date: 1_700_000_000,
    meta_range_id: metaRangeId,
  });
  const states = async (ids: string[]) => Object.fromEntries((await pipeline.commits.getMany(mirror, ids)).map((c) => [c.commitId, c.state]));
  const flowOf = (commitId: string) =>
    pipeline.queues.queue(QueueName.CommitPromote).getJob(jobId.commitVerified({ mirrorId: mirror, commitId, generation: 0 }));

  beforeAll(async () => {
    schema = await migratedSchema('lm_plan');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({})),
    );
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, 'src', 'region-b', $2, 'active', 'test')`,
      [mirror, `s3://${env.regionB.bucket}/mirrors/${mirror}`],
    );
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
  });

  it("plans the job's commit with its pending descendants, leaving one whose metarange has not arrived to its own job", async () => {
    await pipeline.commits.addDiscovered(mirror, [commit('a1'), commit('a2', 'a1'), commit('a3', 'a2'), commit('a4', 'a3', 'late-metarange'), commit('x1')]);
    await pipeline.planner.planCommit(mirror, 'a1', 0);

    // x1 descends from none of them: its own job plans it.
    expect(await states(['a1', 'a2', 'a3', 'a4', 'x1'])).toEqual({ a1: 'verifying', a2: 'verifying', a3: 'verifying', a4: 'pending', x1: 'pending' });
    for (const id of ['a1', 'a2', 'a3']) expect(await flowOf(id)).toBeDefined();
    expect(await flowOf('a4')).toBeUndefined();
    expect((await pipeline.missing.ofCommit(mirror, 'a4')).map((m) => m.key)).toEqual([`mirrors/${mirror}/_lakefs/late-metarange`]);
    // The jobs of the commits planned with a1 do nothing.
    await pipeline.planner.planCommit(mirror, 'a2', 0);
    expect(await states(['a2'])).toEqual({ a2: 'verifying' });
  });

  it("plans the others before raising the own commit's missing metarange", async () => {
    await pipeline.commits.addDiscovered(mirror, [commit('b1', undefined, 'late-too'), commit('b2', 'b1')]);
    await expect(pipeline.planner.planCommit(mirror, 'b1', 0)).rejects.toThrow(NotReplicatedYetError);
    expect(await states(['b1', 'b2'])).toEqual({ b1: 'pending', b2: 'verifying' });
  });

  it('does nothing for a commit of another generation or no longer pending', async () => {
    await pipeline.commits.addDiscovered(mirror, [commit('c1'), commit('c2', 'c1')]);
    await pipeline.planner.planCommit(mirror, 'c1', 7);
    expect(await states(['c1', 'c2'])).toEqual({ c1: 'pending', c2: 'pending' });
  });

  it("lets one holder of a mirror's plan lock work at a time, and frees it when the work fails", async () => {
    const lock = pipeline.app.get(MirrorPlanLock, { strict: false });
    const events: string[] = [];
    const work =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`${name} ends`);
        if (fail) throw new Error(`${name} failed`);
      };
    await Promise.all([
      expect(lock.holding(mirror, work('first', true))).rejects.toThrow('first failed'),
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => lock.holding(mirror, work('second'))),
      lock.holding(`${mirror}-other`, work('other mirror')),
    ]);
    expect(events.filter((e) => !e.startsWith('other'))).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
    expect(events.indexOf('other mirror starts')).toBeLessThan(events.indexOf('first ends'));
  });
});
