import { GetObjectCommand } from '@aws-sdk/client-s3';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ObjectStats, collect } from '@lakemirror/lakefs-client';
import { lakefsMetadataObject, mapWithConcurrency, parseStorageNamespace } from '@lakemirror/object-store';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { BufferSource, ByteSource, FileSource, S3ObjectSource } from './byte-source';
import { newRangeIds, readMetaRange, readRangeEntries } from './lakefs-range.reader';
import { RangeReaderError } from './range-reader.errors';
import type { RangeEntry } from './range.types';

// Files written by a real lakeFS (the local source installation, range_raggedness_entries 1000),
// read back from MinIO and compared with lakeFS's own listing of the same commit.
describe('reading ranges written by lakeFS', () => {
  const env = testEnvironment();
  const lakefs = env.source.lakefs;
  const repo = uniqueName('ranges');
  const namespace = `s3://${env.source.bucket}/tests/${repo}`;
  const ns = parseStorageNamespace(namespace);
  const OBJECTS = 3_000;
  let firstCommit: { id: string; meta_range_id: string };
  let secondCommit: { id: string; meta_range_id: string };

  const metadataFile = (id: string): ByteSource => {
    const { bucket, key } = lakefsMetadataObject(ns, id);
    return new S3ObjectSource(env.source.s3, bucket, key);
  };
  const download = async (id: string): Promise<Buffer> => {
    const { bucket, key } = lakefsMetadataObject(ns, id);
    const object = await env.source.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  };
  const entriesOf = async (source: ByteSource): Promise<RangeEntry[]> => collect(readRangeEntries(source));

  beforeAll(async () => {
    await lakefs.createRepository({ name: repo, storage_namespace: namespace, default_branch: 'main' });
    const paths = Array.from({ length: OBJECTS }, (_, i) => `events/day=${String(i % 30).padStart(2, '0')}/part-${String(i).padStart(5, '0')}.json`);
    await mapWithConcurrency(paths, 16, (p, i) =>
      lakefs.uploadObject(repo, 'main', p, `{"i":${i}}`, { contentType: i % 2 ? 'application/json' : 'text/plain' }),
    );
    firstCommit = await lakefs.commit(repo, 'main', { message: 'three thousand objects' });
    // A second commit that changes a few objects, adds some and removes one.
    for (const p of [paths[10], paths[1500], paths[2999]]) await lakefs.uploadObject(repo, 'main', p, 'changed');
    for (const p of ['events/day=15/zz-new-1.json', 'zz/new-2.json']) await lakefs.uploadObject(repo, 'main', p, 'added');
    await fetch(`${lakefs.endpoint}/repositories/${repo}/branches/main/objects?path=${encodeURIComponent(paths[42])}`, {
      method: 'DELETE',
      headers: {
        authorization: `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`,
      },
    });
    secondCommit = await lakefs.commit(repo, 'main', { message: 'a few changes' });
  });

  afterAll(async () => {
    await lakefs.deleteRepository(repo).catch(() => undefined);
  });

  it('reads every entry of a commit exactly as lakeFS lists it, and the ranges cover that listing', async () => {
    const ranges = await readMetaRange(metadataFile(firstCommit.meta_range_id));
    expect(ranges.length).toBeGreaterThan(1);
    const listing: ObjectStats[] = await collect(lakefs.listObjects(repo, firstCommit.id, { amount: 1000 }));
    expect(listing).toHaveLength(OBJECTS);

    const read: RangeEntry[] = [];
    for (const range of ranges) {
      const entries = await entriesOf(metadataFile(range.id));
      expect(entries).toHaveLength(range.count);
      expect(entries[0].path).toBe(range.minKey);
      expect(entries[entries.length - 1].path).toBe(range.maxKey);
      read.push(...entries);
    }
    expect(read.map((e) => e.path)).toEqual(listing.map((o) => o.path));
    read.forEach((entry, i) => {
      const object = listing[i];
      expect(entry.addressType).toBe('relative');
      expect(`${namespace}/${entry.address}`).toBe(object.physical_address);
      expect(entry.size).toBe(object.size_bytes);
      expect(entry.etag).toBe(object.checksum);
      expect(entry.contentType).toBe(object.content_type);
      expect(Math.floor(entry.lastModified.getTime() / 1000)).toBe(object.mtime);
    });
  });

  it('finds the ranges a new commit adds, and reading only those yields every added or changed object of the diff', async () => {
    const before = await readMetaRange(metadataFile(firstCommit.meta_range_id));
    const after = await readMetaRange(metadataFile(secondCommit.meta_range_id));
    const fresh = newRangeIds(before, after);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThan(after.length); // untouched ranges are shared, by ID
    for (const id of fresh) expect(before.some((r) => r.id === id)).toBe(false);

    const diff = await collect(lakefs.diffRefs(repo, firstCommit.id, secondCommit.id));
    const addedOrChanged = diff.filter((d) => d.type !== 'removed').map((d) => d.path);
    expect(addedOrChanged).toHaveLength(5);
    const inFreshRanges = new Map<string, RangeEntry>();
    for (const id of fresh) for (const entry of await entriesOf(metadataFile(id))) inFreshRanges.set(entry.path, entry);
    for (const p of addedOrChanged) {
      expect(inFreshRanges.has(p)).toBe(true);
      const stats = await lakefs.statObject(repo, secondCommit.id, p);
      expect(`${namespace}/${inFreshRanges.get(p)?.address}`).toBe(stats.physical_address);
    }
    expect(newRangeIds(undefined, after)).toEqual(after.map((r) => r.id));
  });

  it('reads the same entries from an S3 stream, a file and a buffer', async () => {
    const [range] = await readMetaRange(metadataFile(secondCommit.meta_range_id));
    const bytes = await download(range.id);
    const file = path.join(tmpdir(), `${repo}-${range.id}`);
    await writeFile(file, bytes);
    const fromS3 = await entriesOf(metadataFile(range.id));
    expect(await entriesOf(new FileSource(file))).toEqual(fromS3);
    expect(await entriesOf(new BufferSource(bytes))).toEqual(fromS3);
  });

  it('calls a missing metadata file not found (not yet replicated), naming it', async () => {
    const error = await readMetaRange(metadataFile('0'.repeat(64))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeReaderError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', file: `s3://${ns.bucket}/${ns.prefix}/_lakefs/${'0'.repeat(64)}` });
  });

  it('refuses a range where a metarange is expected, and the reverse', async () => {
    const [range] = await readMetaRange(metadataFile(firstCommit.meta_range_id));
    await expect(readMetaRange(metadataFile(range.id))).rejects.toMatchObject({ code: 'WRONG_KIND' });
    await expect(entriesOf(metadataFile(firstCommit.meta_range_id))).rejects.toMatchObject({ code: 'WRONG_KIND' });
  });

  describe('corrupted and truncated copies of a real range', () => {
    let original: Buffer;
    let expected: RangeEntry[];

    beforeAll(async () => {
      const ranges = await readMetaRange(metadataFile(firstCommit.meta_range_id));
      original = await download(ranges[0].id);
      expected = await entriesOf(new BufferSource(original));
    });

    it('fails with a RangeReaderError naming the file for every truncation', async () => {
      const cuts = [...new Set([0, 1, 10, 47, 52, 53, ...Array.from({ length: 60 }, (_, i) => Math.floor((original.length * i) / 60)), original.length - 1])];
      for (const length of cuts) {
        const error = await entriesOf(new BufferSource(original.subarray(0, length), `cut-at-${length}`)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RangeReaderError);
        expect((error as RangeReaderError).file).toBe(`cut-at-${length}`);
      }
    });

    it('never returns a wrong or partial listing when a byte is flipped anywhere', async () => {
      let rejected = 0;
      const positions = new Set([
        ...Array.from({ length: 400 }, (_, i) => Math.floor((original.length * i) / 400)),
        ...Array.from({ length: 53 }, (_, i) => original.length - 1 - i),
      ]);
      for (const position of positions) {
        const copy = Buffer.from(original);
        copy[position] ^= 0x5a;
        const result = await entriesOf(new BufferSource(copy, `flip-${position}`)).catch((e: unknown) => e);
        if (result instanceof RangeReaderError) {
          rejected++;
          expect(result.file).toBe(`flip-${position}`);
        } else {
          // Only bytes no reader looks at (footer padding, unused handle bytes) may change without an error.
          expect(result).toEqual(expected);
        }
      }
      expect(rejected).toBeGreaterThan(positions.size * 0.9);
    });
  });
});
