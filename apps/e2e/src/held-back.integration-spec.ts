import { type Commit, LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { ObjectLocation, lakefsMetadataObject, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { QueueName } from '@lakemirror/queues';
import { S3ObjectSource, newRangeIds, readMetaRange } from '@lakemirror/range-reader';
import { holdBack, release } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

// Invariant 1 (complete or absent) under replication lag: one object, one range file or the
// metarange of a commit is held back from region B; the mirror branch must not move while it is
// missing, the status must name it, and once it arrives the branch moves.
describe('the guarantee under replication lag', () => {
  // Few attempts and a short stall threshold, so that flows run out of retries and the mirror
  // turns "stalled" while the test waits.
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_RETRY_ATTEMPTS: '3', LAKEMIRROR_STALL_AFTER_SECONDS: '3' });
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  const sourceNamespace = () => parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
  const inRegionB = (location: ObjectLocation): ObjectLocation => ({ bucket: regionB.bucket, key: location.key });

  /** Holds `location` back from region B, then checks that the mirror stays put and says why, then releases it. */
  async function expectHeldUntilReleased(location: ObjectLocation, commit: Commit, previousHead: string): Promise<void> {
    const status = await waitFor(
      `the status to name ${location.key} as missing`,
      async () => {
        const s = await pipeline.status(repository, mirror);
        const inFlight = s.in_flight.find((c) => c.commit_id === commit.id);
        return inFlight?.missing_objects.some((m) => m.key === location.key) ? inFlight : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(status.state).not.toBe('recorded');
    // Several retries later the branch still has not moved, and the commit is not on the mirror.
    await sleep(4_000);
    expect(await mirrorHead(regionB.lakefs, mirror, 'main')).toBe(previousHead);
    await expect(regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);
    const stalled = await pipeline.status(repository, mirror);
    const still = stalled.in_flight.find((c) => c.commit_id === commit.id);
    expect(still?.missing_objects.find((m) => m.key === location.key)?.missing_for_seconds).toBeGreaterThanOrEqual(3);
    expect(still?.stalled).toBe(true);
    expect(stalled.stalled).toBe(true);
    const metrics = await (await fetch(`${pipeline.api.url}/metrics`, { headers: pipeline.auth })).text();
    expect(metrics).toContain(`lakemirror_mirror_stalled{mirror="${mirror}"} 1`);
    expect(metrics).toContain(`lakemirror_missing_objects{mirror="${mirror}"} 1`);
    // Flows that ran out of retries were failed and planned afresh, never left waiting for children.
    const [row] = await pipeline.db.query(`SELECT generation FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2`, [mirror, commit.id]);
    expect(row.generation).toBeGreaterThan(0);
    const waiting = await pipeline.queue(QueueName.CommitPromote).getJobs(['waiting-children']);
    expect(waiting.filter((job) => job.data.commitId === commit.id).map((job) => job.data.generation)).not.toContain(0);

    await release(source.s3, location, regionB.s3, inRegionB(location));
    await waitFor('the mirror branch to move once the object arrived', async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === commit.id, {
      timeoutMs: 60_000,
    });
    const after = await pipeline.status(repository, mirror);
    expect(after.in_flight).toEqual([]);
  }

  /** Commits with verification paused, so a metadata file can be held back before anything reads it. */
  async function commitWithVerificationPaused(
    prefix: string,
    hold: (commit: Commit) => Promise<ObjectLocation>,
  ): Promise<{ commit: Commit; held: ObjectLocation }> {
    await pipeline.queue(QueueName.CommitVerify).pause();
    try {
      const commit = await commitObjects(source.lakefs, repository, 'main', prefix, 40);
      const held = await hold(commit);
      await holdBack(regionB.s3, inRegionB(held));
      return { commit, held };
    } finally {
      await pipeline.queue(QueueName.CommitVerify).resume();
    }
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-held');
    await commitObjects(source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('holds the branch while one data object of the commit is missing in region B', async () => {
    const previousHead = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    await source.lakefs.uploadObject(repository, 'main', 'late/object.csv', 'arrives late');
    const address = (await source.lakefs.statObject(repository, 'main', 'late/object.csv')).physical_address;
    const key = relativeAddressIn(sourceNamespace(), address);
    expect(key).toBeDefined();
    const location = { bucket: source.bucket, key: `${sourceNamespace().prefix}/${key}` };
    await holdBack(regionB.s3, inRegionB(location));
    const commit = await commitObjects(source.lakefs, repository, 'main', 'on-time', 10);
    await expectHeldUntilReleased(location, commit, previousHead);
  });

  it('holds the branch while a range file of the commit is missing in region B', async () => {
    const previousHead = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    const { commit, held } = await commitWithVerificationPaused('range', async (c) => {
      const metaRange = async (id: string) => {
        const file = lakefsMetadataObject(sourceNamespace(), id);
        return readMetaRange(new S3ObjectSource(source.s3, file.bucket, file.key));
      };
      const parent = await source.lakefs.getCommit(repository, c.parents[0]);
      const [rangeId] = newRangeIds(await metaRange(parent.meta_range_id), await metaRange(c.meta_range_id));
      return lakefsMetadataObject(sourceNamespace(), rangeId);
    });
    await expectHeldUntilReleased(held, commit, previousHead);
  });

  it('holds the branch while the metarange of the commit is missing in region B', async () => {
    const previousHead = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    const { commit, held } = await commitWithVerificationPaused('metarange', async (c) => lakefsMetadataObject(sourceNamespace(), c.meta_range_id));
    await expectHeldUntilReleased(held, commit, previousHead);
  });
});
