import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { mapWithConcurrency, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { QueueName } from '@lakemirror/queues';
import { holdBack, release } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, mirrorHead } from './pipeline.fixture';

const OBJECTS = 3_000;
const PARTITIONS = 30;

// Invariant 1 (complete or absent) on the first synchronisation of a repository large enough to
// be checked by a sweep (its range files read once, its namespace listed once) rather than chunk
// by chunk: objects are uploaded partition after partition in turn, so every chunk's objects are
// spread over the whole upload. One object is held back from region B: the mirror branch must
// not move, only the chunk holding that object stays unchecked, and the branch moves once it
// arrives.
describe('first synchronisation of a large repository, checked by a sweep', () => {
  const pipeline = new PipelineUnderTest({
    LAKEMIRROR_VERIFY_SWEEP_OBJECTS: '1000',
    LAKEMIRROR_VERIFY_CHUNK_OBJECTS: '250',
    LAKEMIRROR_RETRY_BASE_MS: '200',
    LAKEMIRROR_RETRY_CAP_MS: '2000',
  });
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-sweep');
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('holds the branch while one of thousands of objects is missing, then mirrors the commit once it arrives', async () => {
    const keyOf = (i: number) => `part=${String(i % PARTITIONS).padStart(2, '0')}/object-${String(i).padStart(5, '0')}.csv`;
    await mapWithConcurrency(
      Array.from({ length: OBJECTS }, (_, i) => i),
      16,
      (i) =>
        source.lakefs.uploadObject(
          repository,
          'main',
          `part=${String(i % PARTITIONS).padStart(2, '0')}/object-${String(i).padStart(5, '0')}.csv`,
          `object ${i}`,
        ),
    );
    const lateKey = keyOf(1_717);
    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    const address = relativeAddressIn(namespace, (await source.lakefs.statObject(repository, 'main', lateKey)).physical_address);
    expect(address).toBeDefined();
    const held = { bucket: source.bucket, key: `${namespace.prefix}/${address}` };
    const inRegionB = { bucket: regionB.bucket, key: held.key };
    await holdBack(regionB.s3, inRegionB);
    const commit = await source.lakefs.commit(repository, 'main', { message: `${OBJECTS} objects` });
    mirror = await pipeline.createMirror(repository);

    const inFlight = await waitFor(
      `the status to name ${held.key} as missing`,
      async () =>
        (await pipeline.status(repository, mirror)).in_flight.find((c) => c.commit_id === commit.id && c.missing_objects.some((m) => m.key === held.key)),
      { timeoutMs: 120_000 },
    );
    expect(inFlight.missing_objects.map((m) => m.key)).toEqual([held.key]);
    expect(inFlight.objects_total).toBe(OBJECTS);
    // A sweep checked the commit: no chunk job was ever made for it.
    const verifyJobs = await pipeline.queue(QueueName.CommitVerify).getJobs(['active', 'waiting', 'delayed', 'completed', 'failed']);
    const ofCommit = verifyJobs.filter((job) => job.data.commitId === commit.id).map((job) => job.name);
    expect(ofCommit).toContain('verify-sweep');
    expect(ofCommit).not.toContain('verify-chunk');
    // Every chunk passed but the one holding the late object.
    const unchecked = await pipeline.db.query(
      `SELECT range_id, first_entry FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2 AND checked_at IS NULL`,
      [mirror, commit.id],
    );
    const chunks = await pipeline.db.query(`SELECT count(*)::int AS n FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2`, [mirror, commit.id]);
    expect(chunks[0].n).toBeGreaterThanOrEqual(OBJECTS / 250);
    expect(unchecked).toHaveLength(1);
    const [missingRow] = await pipeline.db.query(`SELECT checked_by FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2`, [mirror, commit.id]);
    expect(missingRow.checked_by).toBe(`${unchecked[0].range_id}@${unchecked[0].first_entry}`);
    expect(await mirrorHead(regionB.lakefs, mirror, 'main')).not.toBe(commit.id);
    await expect(regionB.lakefs.getCommit(mirror, commit.id)).rejects.toThrow(LakefsNotFoundError);

    await release(source.s3, held, regionB.s3, inRegionB);
    await waitFor('the mirror branch to reach the commit', async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === commit.id, {
      timeoutMs: 120_000,
    });
    expect((await pipeline.status(repository, mirror)).in_flight).toEqual([]);
    const listing = await collect(regionB.lakefs.listObjects(mirror, 'main', { prefix: lateKey.slice(0, lateKey.indexOf('/') + 1) }));
    expect(listing.map((o) => o.path)).toContain(lateKey);
    expect(listing).toHaveLength(OBJECTS / PARTITIONS);
  });
});
