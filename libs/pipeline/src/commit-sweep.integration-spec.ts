import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit } from '@lakemirror/lakefs-client';
import { buildTable, entryValue } from '@lakemirror/range-reader/testing';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { CorruptMetadataError, NotReplicatedYetError } from './pipeline.errors';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// Invariant 1 at the sweep, on range files placed in the mirror bucket by the test: one pass over
// a commit's unchecked chunks gives each chunk the outcome its own check would: chunks with
// everything present pass (and their ranges are verified), the others record what they miss
// under their own name; a retry sweeps only what is still unchecked.
describe('commit sweep', () => {
  const env = testEnvironment();
  const mirror = uniqueName('sweep-m');
  const prefix = `mirrors/${mirror}`;
  const commit: Commit = { id: 'c0ffee', parents: [], committer: 'test', message: 'test', creation_date: 1_700_000_000, meta_range_id: 'm1' };
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  const put = (key: string, body: Buffer | string) =>
    env.regionB.s3.send(new PutObjectCommand({ Bucket: env.regionB.bucket, Key: `${prefix}/${key}`, Body: body }));
  const job = (commitId: string) => ({ mirrorId: mirror, commitId, generation: 0 });
  const chunkRows = (commitId: string) =>
    schema.db.query(
      `SELECT range_id, first_entry, checked_at IS NOT NULL AS checked, skipped_objects, full_address_objects FROM commit_chunks
        WHERE mirror_id = $1 AND commit_id = $2 ORDER BY range_id, first_entry`,
      [mirror, commitId],
    );
  // Range "r1": 6 entries, checked as chunks [0, 3) and [3, end); range "r2": 2 entries, one chunk.
  const r1 = Array.from({ length: 6 }, (_, i) => [`a/${i}.csv`, entryValue(`data/g1/obj-${5 - i}`, 1)] as [string, Buffer]);
  const r2: [string, Buffer][] = [
    ['b/0.csv', entryValue('data/g2/only', 1)],
    ['b/imported.csv', entryValue('s3://elsewhere/imported.csv', 3, 2)],
  ];

  beforeAll(async () => {
    schema = await migratedSchema('lm_sweep');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({})),
    );
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, 'src', 'region-b', $2, 'active', 'test')`,
      [mirror, `s3://${env.regionB.bucket}/${prefix}`],
    );
    await pipeline.commits.addDiscovered(mirror, [commit]);
    await pipeline.chunks.plan(mirror, commit.id, [
      { rangeId: 'r1', firstEntry: 0, endEntry: 3, objects: 3, baseRanges: [] },
      { rangeId: 'r1', firstEntry: 3, endEntry: 2_147_483_647, objects: 3, baseRanges: [] },
      { rangeId: 'r2', firstEntry: 0, endEntry: 2_147_483_647, objects: 2, baseRanges: [] },
    ]);
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
  });

  it('waits for a range file not there yet, naming it under its first chunk', async () => {
    await put('_lakefs/r2', buildTable(r2, { entriesPerBlock: 16 }));
    await expect(pipeline.sweeper.sweep(job(commit.id))).rejects.toThrow(NotReplicatedYetError);
    expect(await schema.db.query(`SELECT checked_by, key FROM missing_objects WHERE mirror_id = $1`, [mirror])).toEqual([
      { checked_by: 'r1@0', key: `${prefix}/_lakefs/r1` },
    ]);
  });

  it('passes the chunks with everything present and records, per chunk, what the others miss', async () => {
    await put('_lakefs/r1', buildTable(r1, { entriesPerBlock: 2 }));
    // obj-5..obj-3 are entries 0-2 (chunk r1@0); obj-2..obj-0 entries 3-5 (chunk r1@3). obj-1 is late.
    for (const name of ['obj-5', 'obj-4', 'obj-3', 'obj-2', 'obj-0']) await put(`data/g1/${name}`, 'x');
    await put('data/g2/only', 'x');
    await expect(pipeline.sweeper.sweep(job(commit.id))).rejects.toThrow(/data\/g1\/obj-1/);
    expect(await schema.db.query(`SELECT checked_by, key FROM missing_objects WHERE mirror_id = $1`, [mirror])).toEqual([
      { checked_by: 'r1@3', key: `${prefix}/data/g1/obj-1` },
    ]);
    expect(await chunkRows(commit.id)).toEqual([
      { range_id: 'r1', first_entry: 0, checked: true, skipped_objects: 0, full_address_objects: 0 },
      { range_id: 'r1', first_entry: 3, checked: false, skipped_objects: 0, full_address_objects: 0 },
      { range_id: 'r2', first_entry: 0, checked: true, skipped_objects: 0, full_address_objects: 1 },
    ]);
    // r2 is whole, r1 is not.
    expect(await pipeline.verifiedRanges.verified(mirror, ['r1', 'r2'])).toEqual(new Set(['r2']));
  });

  it('sweeps only what is still unchecked once the late object arrived, and verifies the range', async () => {
    await put('data/g1/obj-1', 'x');
    const result = await pipeline.sweeper.sweep(job(commit.id));
    expect(result.objects).toBe(3);
    expect(await pipeline.missing.ofCommit(mirror, commit.id)).toEqual([]);
    expect((await chunkRows(commit.id)).map((c: { checked: boolean }) => c.checked)).toEqual([true, true, true]);
    expect(await pipeline.verifiedRanges.verified(mirror, ['r1', 'r2'])).toEqual(new Set(['r1', 'r2']));
    expect(await pipeline.sweeper.sweep(job(commit.id))).toEqual({ objects: 0, requests: 0 });
  });

  it("skips the objects the parent's verified ranges hold, reading each base range once", async () => {
    const child: Commit = { ...commit, id: 'cafe', parents: [commit.id], message: 'child' };
    await pipeline.commits.addDiscovered(mirror, [child]);
    // Two new ranges, both overlapping the verified r1: its objects are not looked up (data/g1/gone is absent, and not asked for).
    await put('_lakefs/r1', buildTable([...r1.slice(0, 5), ['a/5.csv', entryValue('data/g1/gone', 1)]], { entriesPerBlock: 2 }));
    await put(
      '_lakefs/c1',
      buildTable(
        [
          ['a/0.csv', entryValue('data/g1/obj-5', 1)],
          ['a/00.csv', entryValue('data/g3/new', 1)],
        ],
        { entriesPerBlock: 16 },
      ),
    );
    await put('_lakefs/c2', buildTable([['a/5.csv', entryValue('data/g1/gone', 1)]], { entriesPerBlock: 16 }));
    await put('data/g3/new', 'x');
    await pipeline.chunks.plan(mirror, child.id, [
      { rangeId: 'c1', firstEntry: 0, endEntry: 2_147_483_647, objects: 2, baseRanges: ['r1'] },
      { rangeId: 'c2', firstEntry: 0, endEntry: 2_147_483_647, objects: 1, baseRanges: ['r1'] },
    ]);
    const result = await pipeline.sweeper.sweep(job(child.id));
    expect(result.objects).toBe(1);
    // c1, c2 and r1 read once each, and one HEAD for data/g3/new.
    expect(result.requests).toBe(4);
    expect((await chunkRows(child.id)).map((c: { skipped_objects: number }) => c.skipped_objects)).toEqual([1, 1]);
  });

  it('passes a chunk whose missing object lands after the listing, before the record: it looks once more after recording', async () => {
    const landed: Commit = { ...commit, id: 'a11d', message: 'landed' };
    await pipeline.commits.addDiscovered(mirror, [landed]);
    await put(
      '_lakefs/l1',
      buildTable(
        [
          ['l/0.csv', entryValue('data/g4/there', 1)],
          ['l/1.csv', entryValue('data/g4/landing', 1)],
        ],
        { entriesPerBlock: 16 },
      ),
    );
    await put('data/g4/there', 'x');
    await pipeline.chunks.plan(mirror, landed.id, [
      { rangeId: 'l1', firstEntry: 0, endEntry: 1, objects: 1, baseRanges: [] },
      { rangeId: 'l1', firstEntry: 1, endEntry: 2_147_483_647, objects: 1, baseRanges: [] },
    ]);
    const record = pipeline.missing.record.bind(pipeline.missing);
    const recorded: [string, string[]][] = [];
    const spy = jest.spyOn(pipeline.missing, 'record').mockImplementation(async (mirrorId, commitId, checkedBy, keys) => {
      await record(mirrorId, commitId, checkedBy, keys);
      recorded.push([checkedBy, keys]);
      await put('data/g4/landing', 'just in time');
    });
    try {
      expect(await pipeline.sweeper.sweep(job(landed.id))).toMatchObject({ objects: 2 });
    } finally {
      spy.mockRestore();
    }
    expect(recorded).toEqual([['l1@1', [`${prefix}/data/g4/landing`]]]);
    expect(await pipeline.missing.ofCommit(mirror, landed.id)).toEqual([]);
    expect((await chunkRows(landed.id)).map((c: { checked: boolean }) => c.checked)).toEqual([true, true]);
  });

  it('fails the commit for good on a range file that is there but unreadable', async () => {
    const broken: Commit = { ...commit, id: 'bad0', message: 'broken' };
    await pipeline.commits.addDiscovered(mirror, [broken]);
    await put('_lakefs/corrupt', Buffer.from('not an sstable at all, but long enough to have a footer........................'));
    await pipeline.chunks.plan(mirror, broken.id, [{ rangeId: 'corrupt', firstEntry: 0, endEntry: 2_147_483_647, objects: 1, baseRanges: [] }]);
    await expect(pipeline.sweeper.sweep(job(broken.id))).rejects.toThrow(CorruptMetadataError);
  });
});
