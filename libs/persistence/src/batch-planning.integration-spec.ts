import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MirrorEntity } from './entities/mirror.entity';
import { CommitChunkRepository } from './repositories/commit-chunk.repository';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { MissingObjectRepository } from './repositories/missing-object.repository';

// The statements a plan job uses for a whole batch of commits (PlannerService).
describe('batch planning statements on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;
  let commits: MirrorCommitRepository;
  let chunks: CommitChunkRepository;
  let missing: MissingObjectRepository;
  const mirrorId = 'sales-eu';
  const commit = (id: string) => ({ id, parents: [], committer: 'alice', message: id, creation_date: 1, meta_range_id: '' });
  const chunk = (rangeId: string, firstEntry = 0) => ({ rangeId, firstEntry, endEntry: firstEntry + 10, objects: 10, baseRanges: [] });

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string, 'lm_batch_plan');
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
    await db.runMigrations();
    await db
      .getRepository(MirrorEntity)
      .insert({ id: mirrorId, sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/sales', state: 'active', createdBy: 'alice' });
    commits = new MirrorCommitRepository(db);
    chunks = new CommitChunkRepository(db);
    missing = new MissingObjectRepository(db);
    await commits.addDiscovered(mirrorId, ['c1', 'c2', 'c3', 'c4'].map(commit));
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('lists the pending commits with their parents, the one asked for first', async () => {
    expect((await commits.pendingSteps(mirrorId, 'c3', 3)).map((c) => c.commitId)).toEqual(['c3', 'c1', 'c2']);
    expect(await commits.pendingSteps(mirrorId, 'unknown', 2)).toEqual([
      { commitId: 'c1', generation: 0, parents: [] },
      { commitId: 'c2', generation: 0, parents: [] },
    ]);
  });

  it('moves to verifying only the commits still pending at the generation given, adding their requests', async () => {
    await commits.replan(mirrorId, 'c4', { state: 'pending', generation: 0 });
    const moved = await commits.startVerifying(mirrorId, [
      { commitId: 'c1', generation: 0, planningRequests: 3 },
      { commitId: 'c2', generation: 0, planningRequests: 0 },
      { commitId: 'c4', generation: 0, planningRequests: 5 },
    ]);
    expect(moved.sort()).toEqual(['c1', 'c2']);
    const byId = new Map((await commits.getMany(mirrorId, ['c1', 'c4'])).map((c) => [c.commitId, c]));
    expect([byId.get('c1')?.state, byId.get('c4')?.state, byId.get('c4')?.generation]).toEqual(['verifying', 'pending', 1]);
    const [row] = await db.query(`SELECT planning_requests FROM mirror_commits WHERE mirror_id = $1 AND commit_id = 'c1'`, [mirrorId]);
    expect(row.planning_requests).toBe(3);
    expect(await commits.startVerifying(mirrorId, [])).toEqual([]);
  });

  it("plans many commits' chunks at once, keeps chunks planned before, and marks and forgets by (commit, range) pairs", async () => {
    await chunks.plan(mirrorId, 'c1', [chunk('r1')]);
    await chunks.markRangesChecked(mirrorId, 'c1', ['r1']);
    const planned = await chunks.planMany(
      mirrorId,
      new Map([
        ['c1', [chunk('r1'), chunk('r2')]],
        ['c2', [chunk('r1'), chunk('r3', 10)]],
        ['c3', []],
      ]),
    );
    expect(Object.fromEntries([...planned].map(([id, list]) => [id, list.map((c) => `${c.rangeId}@${c.firstEntry}:${c.checked}`)]))).toEqual({
      c1: ['r1@0:true', 'r2@0:false'],
      c2: ['r1@0:false', 'r3@10:false'],
      c3: [],
    });

    for (const [commitId, checkedBy] of [
      ['c1', 'r2@0'],
      ['c2', 'r1@0'],
      ['c2', 'r3@10'],
    ])
      await missing.record(mirrorId, commitId, checkedBy, [`sales/data/${commitId}-${checkedBy}`]);
    await missing.record(mirrorId, 'c2', 'metarange', ['sales/_lakefs/m2']);
    const covered = [
      { commitId: 'c1', rangeId: 'r2' },
      { commitId: 'c2', rangeId: 'r1' },
    ];
    await chunks.markCommitRangesChecked(mirrorId, covered);
    await missing.forgetCommitRanges(mirrorId, covered);
    await missing.forgetCheckOfCommits(mirrorId, ['c1', 'c2'], 'metarange');

    const after = await chunks.ofCommits(mirrorId, ['c1', 'c2']);
    expect([...after.values()].flat().map((c) => `${c.rangeId}@${c.firstEntry}:${c.checked}`)).toEqual(['r1@0:true', 'r2@0:true', 'r1@0:true', 'r3@10:false']);
    expect((await missing.ofCommit(mirrorId, 'c1')).map((m) => m.key)).toEqual([]);
    expect((await missing.ofCommit(mirrorId, 'c2')).map((m) => m.key)).toEqual(['sales/data/c2-r3@10']);
  });
});
