import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit } from '@lakemirror/lakefs-client';
import { buildTable, entryValue } from '@lakemirror/range-reader/testing';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { NotReplicatedYetError } from './pipeline.errors';
import { readPipelineSettings } from './pipeline-settings';

// Invariant 1 at the verifier, on a range file placed in the mirror bucket by the test: a
// missing range file or object fails the check and is recorded; objects with full addresses
// are counted and reported, never taken as present; a verified range is not checked again.
describe('verifier', () => {
  const env = testEnvironment();
  const mirror = uniqueName('verify-m');
  const prefix = `mirrors/${mirror}`;
  const rangeId = 'a1b2c3range';
  const commit: Commit = { id: 'c0ffee', parents: [], committer: 'test', message: 'test', creation_date: 1_700_000_000, meta_range_id: 'm1' };
  // A later commit whose metarange shares the range.
  const sharing: Commit = { ...commit, id: 'beef', parents: ['c0ffee'], message: 'later' };
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  const put = (key: string, body: Buffer | string) =>
    env.regionB.s3.send(new PutObjectCommand({ Bucket: env.regionB.bucket, Key: `${prefix}/${key}`, Body: body }));
  const job = { mirrorId: mirror, commitId: commit.id, generation: 0, rangeId, firstEntry: 0, endEntry: 100 };

  beforeAll(async () => {
    schema = await migratedSchema('lm_verify');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({})),
    );
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, 'src', 'region-b', $2, 'active', 'test')`,
      [mirror, `s3://${env.regionB.bucket}/${prefix}`],
    );
    await pipeline.commits.addDiscovered(mirror, [commit, sharing]);
    await pipeline.chunks.plan(mirror, commit.id, [{ rangeId, firstEntry: 0, endEntry: 100, objects: 3, baseRanges: [] }]);
    await pipeline.chunks.plan(mirror, sharing.id, [{ rangeId, firstEntry: 0, endEntry: 100, objects: 3, baseRanges: [] }]);
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
  });

  it('treats a missing range file as not replicated yet, and names it', async () => {
    await expect(pipeline.verifier.verifyChunk(job)).rejects.toThrow(NotReplicatedYetError);
    expect((await pipeline.missing.ofCommit(mirror, commit.id)).map((m) => m.key)).toEqual([`${prefix}/_lakefs/${rangeId}`]);
  });

  it('fails while a relative-address object is missing, and records since when', async () => {
    const range = buildTable(
      [
        ['a.csv', entryValue('data/p1/present', 1)],
        ['b.csv', entryValue('data/p1/late', 2)],
        ['imported.csv', entryValue('s3://elsewhere/imported.csv', 3, 2)],
      ],
      { entriesPerBlock: 16 },
    );
    await put(`_lakefs/${rangeId}`, range);
    await put('data/p1/present', 'x');
    await expect(pipeline.verifier.verifyChunk(job)).rejects.toThrow(/data\/p1\/late/);
    const missing = await pipeline.missing.ofCommit(mirror, commit.id);
    expect(missing.map((m) => m.key)).toEqual([`${prefix}/data/p1/late`]);
    await expect(pipeline.verifier.verifyChunk({ ...job, commitId: sharing.id })).rejects.toThrow(NotReplicatedYetError);
    expect((await pipeline.missing.ofCommit(mirror, sharing.id)).map((m) => m.key)).toEqual([`${prefix}/data/p1/late`]);
    expect((await pipeline.chunks.ofCommit(mirror, commit.id))[0].checked).toBe(false);
  });

  it('passes once everything arrived, counting the full-address object as outside the namespace', async () => {
    await put('data/p1/late', 'y');
    const result = await pipeline.verifier.verifyChunk(job);
    expect(result.objects).toBe(2);
    expect(await pipeline.missing.ofCommit(mirror, commit.id)).toEqual([]);
    expect((await pipeline.chunks.ofCommit(mirror, commit.id))[0].checked).toBe(true);
    expect(await pipeline.verifiedRanges.verified(mirror, [rangeId])).toEqual(new Set([rangeId]));
    expect((await pipeline.status.mirrorStatus(mirror)).objects_outside_namespace).toBe(1);
  });

  it("skips the objects the parent's verified ranges hold, and checks them when such a range cannot be read", async () => {
    // A later commit's new range keeps one entry of its parent (data/old/x) and adds one (data/p2/new).
    // The parent's range was verified, which vouches for data/old/x: it is not looked up again
    // (the test leaves it out of the bucket to see that it is not).
    const child: Commit = { ...commit, id: 'cafe', parents: ['c0ffee'], message: 'child' };
    await pipeline.commits.addDiscovered(mirror, [child]);
    await put('_lakefs/parentrange', buildTable([['old.csv', entryValue('data/old/x', 1)]], { entriesPerBlock: 16 }));
    await put(
      '_lakefs/childrange',
      buildTable(
        [
          ['new.csv', entryValue('data/p2/new', 1)],
          ['old.csv', entryValue('data/old/x', 1)],
        ],
        { entriesPerBlock: 16 },
      ),
    );
    await put('data/p2/new', 'z');
    const childJob = { ...job, commitId: child.id, rangeId: 'childrange' };
    await pipeline.chunks.plan(mirror, child.id, [{ rangeId: 'childrange', firstEntry: 0, endEntry: 100, objects: 2, baseRanges: ['parentrange'] }]);
    expect(await pipeline.verifier.verifyChunk(childJob)).toMatchObject({ objects: 1 });
    const [row] = await schema.db.query(`SELECT skipped_objects, checked_at FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2`, [mirror, child.id]);
    expect(row.skipped_objects).toBe(1);
    expect(row.checked_at).not.toBeNull();

    const orphan: Commit = { ...commit, id: 'f00d', parents: ['c0ffee'], message: 'orphan' };
    await pipeline.commits.addDiscovered(mirror, [orphan]);
    await schema.db.query(`DELETE FROM verified_ranges WHERE mirror_id = $1 AND range_id = 'childrange'`, [mirror]);
    await pipeline.chunks.plan(mirror, orphan.id, [{ rangeId: 'childrange', firstEntry: 0, endEntry: 100, objects: 2, baseRanges: ['not-replicated-range'] }]);
    await expect(pipeline.verifier.verifyChunk({ ...childJob, commitId: orphan.id })).rejects.toThrow(/data\/old\/x/);
  });

  it('passes when a missing object lands after the listing, before the record: it looks once more after recording', async () => {
    // Such an object's created event finds no check waiting for it, so only this second look can see it in time.
    const landed: Commit = { ...commit, id: 'a11d', message: 'landed' };
    await pipeline.commits.addDiscovered(mirror, [landed]);
    await put('_lakefs/landedrange', buildTable([['l.csv', entryValue('data/p3/landed', 1)]], { entriesPerBlock: 16 }));
    await pipeline.chunks.plan(mirror, landed.id, [{ rangeId: 'landedrange', firstEntry: 0, endEntry: 100, objects: 1, baseRanges: [] }]);
    const record = pipeline.missing.record.bind(pipeline.missing);
    const recorded: string[][] = [];
    const spy = jest.spyOn(pipeline.missing, 'record').mockImplementation(async (mirrorId, commitId, checkedBy, keys) => {
      await record(mirrorId, commitId, checkedBy, keys);
      recorded.push(keys);
      if (recorded.length === 1) await put('data/p3/landed', 'just in time');
    });
    try {
      expect(await pipeline.verifier.verifyChunk({ ...job, commitId: landed.id, rangeId: 'landedrange' })).toMatchObject({ objects: 1 });
    } finally {
      spy.mockRestore();
    }
    expect(recorded).toEqual([[`${prefix}/data/p3/landed`], []]);
    expect(await pipeline.missing.ofCommit(mirror, landed.id)).toEqual([]);
    expect((await pipeline.chunks.ofCommit(mirror, landed.id))[0].checked).toBe(true);
  });

  it('does not check a verified range again: a commit sharing it is done, and forgets what it found missing', async () => {
    expect(await pipeline.verifier.verifyChunk({ ...job, commitId: sharing.id })).toEqual({ objects: 0, requests: 0 });
    expect(await pipeline.missing.ofCommit(mirror, sharing.id)).toEqual([]);
    expect((await pipeline.chunks.ofCommit(mirror, sharing.id)).map((c) => c.checked)).toEqual([true]);
  });
});
