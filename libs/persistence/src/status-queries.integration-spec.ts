import { createTestSchema } from '@lakemirror/testing';
import type { CommitState } from '@lakemirror/mirroring';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MirrorEntity } from './entities/mirror.entity';
import { BranchStateRepository } from './repositories/branch-state.repository';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { ObservedHeadRepository } from './repositories/observed-head.repository';
import { BranchBehind, BranchPending, StatusQueriesRepository, mirrorBranchKey } from './repositories/status-queries.repository';

// The batched status reads must answer, for every branch at once, what the per-branch reads answer one by one.
describe('status reads for many branches on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;
  let queries: StatusQueriesRepository;
  let commits: MirrorCommitRepository;
  let heads: ObservedHeadRepository;
  let branches: BranchStateRepository;

  const commit = (id: string, parents: string[], creationDate: number) => ({
    id,
    parents,
    committer: 'alice',
    message: id,
    creation_date: creationDate,
    meta_range_id: '',
    metadata: {},
    generation: 1,
    version: 1,
  });

  // One history, c1 <- c2 <- c3 <- merge(c3, side), in each mirror with other states: a mirror sees only its own.
  const history = [
    commit('c1', [], 100),
    commit('c2', ['c1'], 200),
    commit('c3', ['c2'], 300),
    commit('side', ['c1'], 250),
    commit('merge', ['c3', 'side'], 400),
  ];
  const states: Record<string, Record<string, CommitState>> = {
    'sales-eu': { c1: 'recorded', c2: 'failed', c3: 'verified', side: 'pending', merge: 'verifying' },
    'sales-us': { c1: 'recorded', c2: 'recorded', c3: 'recorded', side: 'failed', merge: 'verified' },
  };

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string, 'lm_status_queries');
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
    await db.runMigrations();
    queries = new StatusQueriesRepository(db);
    commits = new MirrorCommitRepository(db);
    heads = new ObservedHeadRepository(db);
    branches = new BranchStateRepository(db);
    for (const [mirrorId, stateOf] of Object.entries(states)) {
      await db
        .getRepository(MirrorEntity)
        .insert({ id: mirrorId, sourceRepository: 'sales', region: 'region-b', storageNamespace: `s3://b/${mirrorId}`, state: 'active', createdBy: 'alice' });
      await commits.addDiscovered(mirrorId, history);
      for (const [commitId, state] of Object.entries(stateOf)) {
        if (state === 'failed') await commits.markFailed(mirrorId, commitId, {}, { reason: 'corrupt_metadata', error: 'unreadable' });
        else await commits.transition(mirrorId, commitId, { state: ['pending'] }, state);
      }
      for (const [branch, observed] of Object.entries({ main: ['c1', 'c3', 'merge'], dev: ['c2'], side: ['side'] })) {
        for (const head of observed) await heads.append(mirrorId, branch, await branches.advanceObserved(mirrorId, branch, head), head);
      }
      await branches.markMirrored(mirrorId, 'main', 'c1', 1);
    }
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('reads every branch of several mirrors as reading each mirror does', async () => {
    const byMirror = await branches.allOfMirrors(['sales-eu', 'sales-us', 'unknown']);
    expect([...byMirror.keys()]).toEqual(['sales-eu', 'sales-us']);
    expect(byMirror.get('sales-eu')).toEqual(await branches.all('sales-eu'));
    expect(byMirror.get('sales-us')).toEqual(await branches.all('sales-us'));
    expect(await branches.allOfMirrors([])).toEqual(new Map());
  });

  it('finds the unrecorded commits behind every head as the one-branch query does', async () => {
    const asked: BranchBehind[] = Object.keys(states).flatMap((mirrorId) =>
      ['merge', 'c3', 'c2', 'side', 'c1', 'unknown'].map((head) => ({ mirrorId, branch: `at-${head}`, sourceHead: head })),
    );
    const answered = await queries.unrecordedBehind(asked);
    for (const { mirrorId, branch, sourceHead } of asked) {
      const one = await commits.unrecordedBehindWithState(mirrorId, sourceHead);
      expect([branch, answered.get(mirrorBranchKey(mirrorId, branch)) ?? []]).toEqual([branch, one]);
    }
    expect(answered.get(mirrorBranchKey('sales-eu', 'at-merge'))?.map((c) => c.commitId)).toEqual(['c2', 'side', 'c3', 'merge']);
    expect(await queries.unrecordedBehind([])).toEqual(new Map());
  });

  it('finds the oldest head observed after a mirrored sequence as the one-branch query does', async () => {
    const asked: BranchPending[] = Object.keys(states).flatMap((mirrorId) =>
      [0, 1, 2, 3].flatMap((mirroredSequence) => ['main', 'dev', 'none'].map((branch) => ({ mirrorId, branch, mirroredSequence }))),
    );
    for (const { mirrorId, branch, mirroredSequence } of asked) {
      const answered = await queries.firstPendingObservedAt([{ mirrorId, branch, mirroredSequence }]);
      const [first] = await heads.after(mirrorId, branch, mirroredSequence);
      expect([branch, mirroredSequence, answered.get(mirrorBranchKey(mirrorId, branch))]).toEqual([branch, mirroredSequence, first?.observedAt]);
    }
    const all = await queries.firstPendingObservedAt(asked.filter((a) => a.mirroredSequence === 1));
    expect(all.get(mirrorBranchKey('sales-eu', 'main'))).toEqual((await heads.after('sales-eu', 'main', 1))[0].observedAt);
    expect(all.has(mirrorBranchKey('sales-eu', 'dev'))).toBe(false);
  });
});
