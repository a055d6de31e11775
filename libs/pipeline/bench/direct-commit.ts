import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { listKeys, mapWithConcurrency, objectExists } from '@lakemirror/object-store';
import { buildTable, objectEntryValue, rangeRecordValue } from '@lakemirror/range-reader/testing';
import { tarArchive } from './tar-archive';

// Writes a lakeFS commit straight into object storage, the way lakeFS's import builds one: the
// objects, the range files and the metarange are PUT into the repository's namespace, then lakeFS
// makes the metarange the branch's tree (commit with source_metarange). Uploads through lakeFS run
// at 109-262 objects/s on this machine (staging, then the commit rewrites every entry), so a
// million objects would take hours; this path sends the objects to MinIO as snowball archives. Unlike an
// import, the entries' addresses are relative, as if uploaded through lakeFS, so the mirror checks
// them like any other object.

/** One copy of the repository's namespace: the source's, or a region's (written directly instead of replicated). */
export interface NamespaceCopy {
  name: string;
  client: S3Client;
  /** For archive PUTs, which the store answers only once it has unpacked them. */
  archiveClient: S3Client;
  bucket: string;
  /** The namespace's key prefix, without a trailing slash. */
  prefix: string;
}

/** A numbered set of objects: object i has path `pathOf(i)` and lives at `addressOf(i)`, relative to the namespace. */
export interface ObjectSet {
  count: number;
  pathOf(i: number): string;
  addressOf(i: number): string;
}

/** Entries per range file: the source lakeFS's own ranges here hold about 1,000 (108 for 100,000 objects). */
const RANGE_ENTRIES = 1_000;
/** Entries per data block: about 4 KiB, Pebble's default block size, at ~130 bytes per entry. */
const BLOCK_ENTRIES = 32;
const PUT_CONCURRENCY = Number(process.env.LAKEMIRROR_BENCH_DIRECT_CONCURRENCY ?? 64);
const LAST_MODIFIED = 1_764_000_000;

const log = (text: string) => process.stdout.write(`${text}\n`);
const bodyOf = (address: string) => `bench object ${address}`;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The keys under `under` in the copy's namespace, relative to it. */
async function existingKeys(copy: NamespaceCopy, under: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const key of listKeys(copy.client, copy.bucket, `${copy.prefix}/${under}`)) keys.add(key.slice(copy.prefix.length + 1));
  return keys;
}

/** Files per snowball archive: about 5 MB of archive for these small objects. */
const ARCHIVE_FILES = 5_000;

/**
 * PUTs `addresses` into the copy as MinIO snowball archives, which MinIO unpacks into one object per
 * file: one request per 5,000 objects instead of one each. Returns false, having removed the first
 * archive and PUT nothing more, when the store did not unpack it (not MinIO).
 */
async function putArchives(copy: NamespaceCopy, addresses: string[], progress: (n: number) => void): Promise<boolean> {
  const batches: string[][] = [];
  for (let at = 0; at < addresses.length; at += ARCHIVE_FILES) batches.push(addresses.slice(at, at + ARCHIVE_FILES));
  const archiveKey = (n: number) => `${copy.prefix}/snowball-${n}.tar`;
  const put = async (batch: string[], n: number) => {
    const archive = tarArchive(batch.map((address) => ({ path: address, body: Buffer.from(bodyOf(address)) })));
    await copy.archiveClient.send(
      new PutObjectCommand({
        Bucket: copy.bucket,
        Key: archiveKey(n),
        Body: archive,
        Metadata: { 'snowball-auto-extract': 'true', 'minio-snowball-prefix': copy.prefix },
      }),
    );
    progress(batch.length);
  };
  if (batches.length === 0) return true;
  await put(batches[0], 0);
  if (!(await objectExists(copy.client, { bucket: copy.bucket, key: `${copy.prefix}/${batches[0][0]}` }))) {
    await copy.client.send(new DeleteObjectCommand({ Bucket: copy.bucket, Key: archiveKey(0) }));
    return false;
  }
  await mapWithConcurrency(batches.slice(1), 2, (batch, i) => put(batch, i + 1));
  return true;
}

/**
 * PUTs every object of `sets` missing from each copy (an interrupted run resumes), into all copies
 * at once (each is its own MinIO server here); returns objects PUT per second over all copies.
 */
export async function putObjects(sets: ObjectSet[], copies: NamespaceCopy[]): Promise<number> {
  const started = performance.now();
  let done = 0;
  const fill = async (copy: NamespaceCopy) => {
    const todo = async () => {
      const present = await existingKeys(copy, 'data/');
      const missing: string[] = [];
      for (const set of sets)
        for (let i = 0; i < set.count; i++) {
          const address = set.addressOf(i);
          if (!present.has(address)) missing.push(address);
        }
      return { present: present.size, missing };
    };
    const first = await todo();
    log(`    ${copy.name}: ${first.present} objects already there, ${first.missing.length} to write`);
    let copied = 0;
    const copyStarted = performance.now();
    const progress = (n: number) => {
      const before = copied;
      copied += n;
      done += n;
      if (Math.floor(copied / 50_000) > Math.floor(before / 50_000))
        log(`    ${copy.name}: ${copied}/${first.missing.length} written (${(copied / ((performance.now() - copyStarted) / 1000)).toFixed(0)} objects/s)`);
    };
    if (first.missing.length === 0) return;
    const archived = await putArchives(copy, first.missing, progress);
    // What archives did not deliver (or everything, on a store without snowball) goes one PUT each.
    const { missing } = archived ? await todo() : first;
    if (archived && missing.length > 0) log(`    ${copy.name}: ${missing.length} objects missing after the archives, PUT one by one`);
    await mapWithConcurrency(missing, PUT_CONCURRENCY, async (address) => {
      await copy.client.send(new PutObjectCommand({ Bucket: copy.bucket, Key: `${copy.prefix}/${address}`, Body: bodyOf(address) }));
      if (!archived) progress(1);
    });
  };
  await Promise.all(copies.map(fill));
  return done / ((performance.now() - started) / 1000);
}

interface TreeEntry {
  path: string;
  address: string;
}

/** Every object of `sets` in path order (byte order: the paths here are ASCII). */
function treeOf(sets: ObjectSet[]): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const set of sets) for (let i = 0; i < set.count; i++) entries.push({ path: set.pathOf(i), address: set.addressOf(i) });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 1; i < entries.length; i++) if (entries[i].path === entries[i - 1].path) throw new Error(`two objects at ${entries[i].path}`);
  return entries;
}

interface BuiltFile {
  id: string;
  body: Buffer;
}

const contentId = (body: Buffer) => createHash('sha256').update(body).digest('hex');

function rangeFile(entries: TreeEntry[]): BuiltFile & { minKey: string; maxKey: string; count: number } {
  const body = buildTable(
    entries.map(({ path, address }) => {
      const content = bodyOf(address);
      const fields = {
        address,
        size: Buffer.byteLength(content),
        eTag: md5(content),
        lastModifiedSeconds: LAST_MODIFIED,
        contentType: 'application/octet-stream',
      };
      return [path, objectEntryValue(fields, createHash('sha256').update(path).update(address).digest())];
    }),
    { entriesPerBlock: BLOCK_ENTRIES, snappy: true, type: 'ranges' },
  );
  return { id: contentId(body), body, minKey: entries[0].path, maxKey: entries[entries.length - 1].path, count: entries.length };
}

/** The range files and metarange of a tree holding every object of `sets`. */
export function buildTree(sets: ObjectSet[]): { metarange: BuiltFile; ranges: BuiltFile[]; objects: number } {
  const entries = treeOf(sets);
  const ranges: ReturnType<typeof rangeFile>[] = [];
  for (let at = 0; at < entries.length; at += RANGE_ENTRIES) ranges.push(rangeFile(entries.slice(at, at + RANGE_ENTRIES)));
  const body = buildTable(
    ranges.map((range) => [range.maxKey, rangeRecordValue({ ...range, estimatedSize: range.body.length })]),
    { entriesPerBlock: BLOCK_ENTRIES, snappy: true, type: 'metaranges' },
  );
  return { metarange: { id: contentId(body), body }, ranges, objects: entries.length };
}

/**
 * Puts the tree's files into every copy of the namespace where missing, and copies what lakeFS
 * itself wrote under _lakefs/ of the first copy (its dummy object) to the others.
 */
async function putLakefsFiles(copies: NamespaceCopy[], built: BuiltFile[]): Promise<void> {
  const present = await Promise.all(copies.map((copy) => existingKeys(copy, '_lakefs/')));
  const builtKeys = new Set(built.map((file) => `_lakefs/${file.id}`));
  const fromLakefs = [...present[0]].filter((key) => !builtKeys.has(key));
  const put = (copy: NamespaceCopy, key: string, body: Buffer) =>
    copy.client.send(new PutObjectCommand({ Bucket: copy.bucket, Key: `${copy.prefix}/${key}`, Body: body }));
  for (const [c, copy] of copies.entries()) {
    await mapWithConcurrency(
      built.filter((file) => !present[c].has(`_lakefs/${file.id}`)),
      16,
      (file) => put(copy, `_lakefs/${file.id}`, file.body),
    );
    for (const key of fromLakefs.filter((k) => !present[c].has(k))) {
      const object = await copies[0].client.send(new GetObjectCommand({ Bucket: copies[0].bucket, Key: `${copies[0].prefix}/${key}` }));
      await put(copy, key, Buffer.from(await object.Body!.transformToByteArray()));
    }
  }
}

export interface DirectCommit {
  commit: string;
  ranges: number;
  objectsPerSecond: number;
}

/**
 * Commits on `branch` a tree of every object of `tree` (what the branch's history already holds
 * plus the new objects), after PUTting the objects of `upload` and the tree's files into every copy
 * of the namespace. The branch must have no staged changes.
 */
export async function writeDirectCommit(options: {
  lakefs: LakefsClient;
  repository: string;
  branch: string;
  tree: ObjectSet[];
  upload: ObjectSet[];
  copies: NamespaceCopy[];
  message: string;
  metadata: Record<string, string>;
}): Promise<DirectCommit> {
  const objectsPerSecond = await putObjects(options.upload, options.copies);
  const started = performance.now();
  const { metarange, ranges, objects } = buildTree(options.tree);
  log(`    built ${ranges.length} range files and a metarange for ${objects} objects in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  await putLakefsFiles(options.copies, [...ranges, metarange]);
  const commit = await options.lakefs.commit(
    options.repository,
    options.branch,
    { message: options.message, metadata: options.metadata },
    { sourceMetarange: metarange.id },
  );
  return { commit: commit.id, ranges: ranges.length, objectsPerSecond };
}
