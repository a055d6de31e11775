import { LakefsReadOnlyRepositoryError, collect } from '@lakemirror/lakefs-client';
import { waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

// Invariants 2 (same ID, same data), 3 (read-only) and 4 (follows resets and deletions), end to
// end: source commits on several branches with merges, MinIO replication to region B, the
// four apps as processes, and the result read back through the destination lakeFS.
describe('mirroring a repository end to end', () => {
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-branches');
    await commitObjects(source.lakefs, repository, 'main', 'base', 30);
    await source.lakefs.createBranch(repository, 'feature', 'main');
    await commitObjects(source.lakefs, repository, 'feature', 'feature-a', 12);
    await commitObjects(source.lakefs, repository, 'feature', 'feature-b', 5);
    await source.lakefs.createBranch(repository, 'dev', 'main');
    await commitObjects(source.lakefs, repository, 'dev', 'dev', 7);
    await commitObjects(source.lakefs, repository, 'main', 'more', 9);
    await source.lakefs.merge(repository, 'feature', 'main', { message: 'merge feature' });
    mirror = await pipeline.createMirror(repository);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('mirrors every branch, merges included, with the same commit IDs, logs and bytes', async () => {
    await waitUntilMirrored(pipeline, repository, mirror);
    for (const branch of ['main', 'feature', 'dev']) {
      // lakeFS orders commits of the same second arbitrarily: compare the logs as sets of commits.
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      const sourceLog = (await collect(source.lakefs.log(repository, branch))).sort(byId);
      expect((await collect(regionB.lakefs.log(mirror, branch))).sort(byId)).toEqual(sourceLog);
      const objects = await collect(source.lakefs.listObjects(repository, branch));
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        expect((await regionB.lakefs.getObject(mirror, branch, object.path)).equals(await source.lakefs.getObject(repository, branch, object.path))).toBe(true);
      }
    }
    const mainLog = await collect(regionB.lakefs.log(mirror, 'main'));
    expect(mainLog[0]).toMatchObject({ message: 'merge feature' });
    expect(mainLog[0].parents).toHaveLength(2);
  });

  it('keeps the mirror read-only for users', async () => {
    await expect(regionB.lakefs.uploadObject(mirror, 'main', 'intruder.txt', 'no')).rejects.toThrow(LakefsReadOnlyRepositoryError);
    await expect(regionB.lakefs.commit(mirror, 'main', { message: 'no' })).rejects.toThrow(LakefsReadOnlyRepositoryError);
  });

  it('follows new commits, a new branch, a reset to an older commit and a deleted branch', async () => {
    const before = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    await commitObjects(source.lakefs, repository, 'main', 'later', 3);
    await source.lakefs.createBranch(repository, 'release', 'main');
    await source.lakefs.deleteBranch(repository, 'dev');
    await waitUntilMirrored(pipeline, repository, mirror);
    expect(await mirrorHead(regionB.lakefs, mirror, 'dev')).toBeUndefined();
    await source.lakefs.hardResetBranch(repository, 'main', before);
    await waitFor('the mirror main to follow the reset', async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === before, { timeoutMs: 60_000 });
    await waitUntilMirrored(pipeline, repository, mirror);
  });

  it('shows a caught-up status: every branch up to date, nothing in flight', async () => {
    const status = await waitFor('a status with nothing in flight', async () => {
      const s = await pipeline.status(repository, mirror);
      return s.in_flight.length === 0 && s.branches.every((b) => b.up_to_date) ? s : undefined;
    });
    expect(status.branches.map((b) => b.branch)).toEqual(['feature', 'main', 'release']);
    for (const branch of status.branches) {
      expect(branch).toMatchObject({ lag_commits: 0, lag_seconds: 0, up_to_date: true });
      expect(branch.mirrored_head).toBe(branch.source_head);
    }
    expect(status).toMatchObject({ mirror, stalled: false, objects_outside_namespace: 0 });
    const metrics = await (await fetch(`${pipeline.api.url}/metrics`, { headers: pipeline.auth })).text();
    expect(metrics).toContain(`lakemirror_branch_lag_commits{mirror="${mirror}",branch="main"} 0`);
    expect(metrics).toContain(`lakemirror_commits_in_flight{mirror="${mirror}"} 0`);
    expect(metrics).toContain(`lakemirror_mirror_stalled{mirror="${mirror}"} 0`);
    expect(metrics).toMatch(/lakemirror_queue_jobs\{queue="commit-verify",state="waiting"\} \d+/);
  });
});
