import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig, parseStorageNamespace } from '@lakemirror/config';
import { LakefsClient, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { createS3Client, mapWithConcurrency } from '@lakemirror/object-store';
import { NamespaceCopy, ObjectSet, writeDirectCommit } from './direct-commit';

// Source repositories of the scale benchmarks (bench:first-sync, bench:big-commit), generated once
// and kept between runs. A repository is reused when its branch's head carries the commit metadata
// `lakemirror_bench_objects`; after a crash the objects already there are skipped and the commit is
// made once.

/**
 * How objects reach the source repository: lakeFS's upload API or its S3 gateway (one staged object
 * per request), or `direct`: objects, range files and metarange PUT straight into the namespace, in
 * region A and in region B, then committed by lakeFS (direct-commit.ts), the default and by far the
 * fastest. A direct repository lives in a bucket of its own in region A, which MinIO does not
 * replicate: region B's copy is written by the generator, as replication would have.
 */
export type UploadMethod = 'api' | 's3-gateway' | 'direct';
const UPLOAD_METHODS: UploadMethod[] = ['api', 's3-gateway', 'direct'];

export const UPLOAD_CONCURRENCY = Number(process.env.LAKEMIRROR_BENCH_UPLOAD_CONCURRENCY ?? 64);
export const UPLOAD_METHOD: UploadMethod = (process.env.LAKEMIRROR_BENCH_UPLOAD_METHOD as UploadMethod | undefined) ?? 'direct';
if (!UPLOAD_METHODS.includes(UPLOAD_METHOD))
  throw new Error(`LAKEMIRROR_BENCH_UPLOAD_METHOD must be one of ${UPLOAD_METHODS.join(', ')}, got "${UPLOAD_METHOD}"`);
/** Objects of the base of a big-commit repository (the keys of a first-sync repository of that size). */
export const DEFAULT_BIG_COMMIT_BASE_OBJECTS = 100_000;
const COMMIT_MARK = 'lakemirror_bench_objects';
const ROOT = path.resolve(__dirname, '../../..');
/** Under .lakemirror, which git ignores, next to the environment's settings. */
export const RECORDS_DIR = path.join(ROOT, '.lakemirror', 'bench');

const config = loadConfig();
export const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
export const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
/** Region A's bucket for direct repositories: not replicated. */
const directBucket = `${sourceBucket}-direct`;
const sourceS3 = createS3Client(config.source.objectStore);
const regionBS3 = createS3Client(config.regions[0].objectStore);
// MinIO answers an archive's PUT only once it has unpacked it: 5,000 files can take longer than the usual idle limit on busy cores.
const ARCHIVE_IDLE_TIMEOUT_MS = 5 * 60_000;
const regionBBucket = process.env.LAKEMIRROR_REGION_REGION_B_BUCKET as string;
/** The bucket in region A holding the namespace of a repository made by `method`. */
const namespaceBucket = (method: UploadMethod) => (method === 'direct' ? directBucket : sourceBucket);
const log = (text: string) => process.stdout.write(`${text}\n`);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
const base32 = (n: number, width: number) => {
  let out = '';
  for (let left = width, rest = n; left-- > 0; rest = Math.floor(rest / 32)) out = BASE32HEX[rest % 32] + out;
  return out;
};
/** Objects lakeFS's uploads put in one partition folder before it starts a new one (as measured in the sweep benchmark). */
const PARTITION_OBJECTS = 50_000;

/**
 * Where a direct repository keeps object i of the set `tag`, shaped like lakeFS's own relative
 * addresses (data/g<partition>/c<object>, 19 characters each after the letter, as the sweep benchmark) and filling
 * partitions in upload order.
 */
export const directAddress = (tag: number) => (i: number) =>
  `data/g${base32(tag, 4)}${base32(Math.floor(i / PARTITION_OBJECTS), 15)}/c${base32(tag, 4)}${base32(i, 15)}`;

/** The i-th object of a repository: 100 partitions, as the other benchmarks lay them out. */
export const partitionedKey = (i: number) => `data/part=${pad(i % 100, 3)}/object-${pad(i, 7)}.parquet`;

/** The j-th object of a clustered big commit: one new folder that sorts after every existing key. */
export const clusteredKey = (j: number) => `data/zz-big/object-${pad(j, 7)}.parquet`;

/** The j-th object of a scattered big commit on `base` objects: next to existing object j mod base, in its partition, so every range changes. */
export const scatteredKey = (base: number) => (j: number) => {
  const existing = j % base;
  return `data/part=${pad(existing % 100, 3)}/object-${pad(existing, 7)}-b${pad(Math.floor(j / base), 3)}.parquet`;
};

export type BigCommitLayout = 'clustered' | 'scattered';
const bigCommitKey = (layout: BigCommitLayout, base: number) => (layout === 'clustered' ? clusteredKey : scatteredKey(base));

/** What `generate` wrote down about one kept repository. */
export interface GenerationRecord {
  repository: string;
  branch: string;
  commit: string;
  objects: number;
  method: UploadMethod;
  concurrency: number;
  /** Upload and commit seconds of the run that finished it (an interrupted run's are not counted). */
  seconds: number;
  objectsPerSecond: number;
  /** Objects found staged from an interrupted run and not uploaded again. */
  resumedObjects: number;
  generatedAt: string;
}

export function readRecord(name: string): GenerationRecord | undefined {
  try {
    return JSON.parse(readFileSync(path.join(RECORDS_DIR, `${name}.json`), 'utf8')) as GenerationRecord;
  } catch {
    return undefined;
  }
}

function writeRecord(name: string, record: GenerationRecord): void {
  mkdirSync(RECORDS_DIR, { recursive: true });
  writeFileSync(path.join(RECORDS_DIR, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
}

/** lakeFS's S3 gateway: the repository is the bucket, the key starts with the branch. */
function gatewayClient(concurrency: number): S3Client {
  return new S3Client({
    endpoint: config.source.lakefs.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: config.source.lakefs.accessKeyId, secretAccessKey: config.source.lakefs.secretAccessKey.reveal() },
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
    // No flexible checksums (lakeFS's gateway stores the body as sent; a checksum trailer would only cost CPU here).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

/** Uploads the objects numbered `indexes` (keys from `keyOf`) to `branch`; returns objects per second. */
export async function uploadObjects(
  repo: string,
  branch: string,
  indexes: number[],
  keyOf: (i: number) => string,
  options: { method?: UploadMethod; concurrency?: number; progressEvery?: number } = {},
): Promise<number> {
  const method = options.method ?? UPLOAD_METHOD;
  const concurrency = options.concurrency ?? UPLOAD_CONCURRENCY;
  if (method === 'direct') throw new Error('direct repositories are written by writeDirectCommit, not uploaded object by object');
  const gateway = method === 's3-gateway' ? gatewayClient(concurrency) : undefined;
  const started = performance.now();
  let done = 0;
  const rate = () => done / ((performance.now() - started) / 1000);
  await mapWithConcurrency(indexes, concurrency, async (i) => {
    const key = keyOf(i);
    const body = `bench object ${i}`;
    if (gateway) await gateway.send(new PutObjectCommand({ Bucket: repo, Key: `${branch}/${key}`, Body: body }));
    else await source.uploadObject(repo, branch, key, body);
    if (++done % (options.progressEvery ?? 20_000) === 0) log(`    uploaded ${done}/${indexes.length} (${rate().toFixed(0)} objects/s)`);
  });
  gateway?.destroy();
  return rate();
}

async function createBucketIfMissing(bucket: string): Promise<void> {
  const exists = await sourceS3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );
  if (!exists) await sourceS3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Creates the repository when missing; returns the bucket in region A holding its namespace. */
async function createRepositoryIfMissing(repo: string): Promise<string> {
  try {
    const existing = await source.getRepository(repo);
    return parseStorageNamespace(existing.storage_namespace).bucket;
  } catch (error) {
    if (!(error instanceof LakefsNotFoundError)) throw error;
    const bucket = namespaceBucket(UPLOAD_METHOD);
    if (UPLOAD_METHOD === 'direct') await createBucketIfMissing(bucket);
    await source.createRepository({ name: repo, storage_namespace: `s3://${bucket}/bench/${repo}`, default_branch: 'main' });
    return bucket;
  }
}

/** The namespace of a direct repository: in its region A bucket, and in region B where the mirror reads it. */
const directCopies = (repo: string, bucket: string): NamespaceCopy[] => [
  {
    name: 'region A',
    client: sourceS3,
    archiveClient: createS3Client(config.source.objectStore, { idleTimeoutMs: ARCHIVE_IDLE_TIMEOUT_MS }),
    bucket,
    prefix: `bench/${repo}`,
  },
  {
    name: 'region B',
    client: regionBS3,
    archiveClient: createS3Client(config.regions[0].objectStore, { idleTimeoutMs: ARCHIVE_IDLE_TIMEOUT_MS }),
    bucket: regionBBucket,
    prefix: `bench/${repo}`,
  },
];

async function createBranchIfMissing(repo: string, branch: string, from: string): Promise<void> {
  try {
    await source.getBranch(repo, branch);
  } catch (error) {
    if (!(error instanceof LakefsNotFoundError)) throw error;
    await source.createBranch(repo, branch, from);
  }
}

/** The commit on `branch` carrying `mark` (the head or, when a run crashed after committing, nothing else: heads only). */
async function markedHead(repo: string, branch: string, mark: string): Promise<string | undefined> {
  const head = await source.getBranch(repo, branch);
  const commit = await source.getCommit(repo, head.commit_id);
  return commit.metadata?.[COMMIT_MARK] === mark ? commit.id : undefined;
}

/**
 * Makes sure `branch` of `repo` has a commit of the objects of `objects` on top of `from` (a
 * branch), marked `mark`: reuses it, finishes an interrupted generation, or makes it. `below`:
 * the objects `from` already holds, which a direct commit's tree repeats.
 */
export async function ensureCommit(
  recordName: string,
  repo: string,
  branch: string,
  from: string,
  objects: ObjectSet,
  mark: string,
  below: ObjectSet[] = [],
): Promise<{ commit: string; record?: GenerationRecord; kept: boolean; bucket: string }> {
  const bucket = await createRepositoryIfMissing(repo);
  if (branch !== from) await createBranchIfMissing(repo, branch, from);
  const kept = await markedHead(repo, branch, mark);
  if (kept) return { commit: kept, record: readRecord(recordName), kept: true, bucket };

  const started = performance.now();
  const message = `${objects.count} bench objects`;
  const metadata = { [COMMIT_MARK]: mark };
  let commit: string;
  let resumedObjects = 0;
  if (bucket === directBucket) {
    log(`  generating ${repo} (${branch}): ${objects.count} objects written directly into both regions`);
    const direct = await writeDirectCommit({
      lakefs: source,
      repository: repo,
      branch,
      tree: [...below, objects],
      upload: [objects],
      copies: directCopies(repo, bucket),
      message,
      metadata,
    });
    commit = direct.commit;
    log(`  wrote and committed ${commit.slice(0, 12)} (${direct.ranges} ranges) in ${((performance.now() - started) / 1000).toFixed(0)}s`);
  } else {
    const staged = new Set((await collect(source.diffBranch(repo, branch, { amount: 1000 }))).map((d) => d.path));
    const todo = [...Array(objects.count).keys()].filter((i) => !staged.has(objects.pathOf(i)));
    resumedObjects = staged.size;
    log(
      `  generating ${repo} (${branch}): ${objects.count} objects, ${staged.size} already staged by an interrupted run, ${todo.length} to upload through ${UPLOAD_METHOD}, ${UPLOAD_CONCURRENCY} at a time`,
    );
    await uploadObjects(repo, branch, todo, objects.pathOf);
    const uploaded = performance.now();
    commit = (await source.commit(repo, branch, { message, metadata })).id;
    log(
      `  uploaded in ${((uploaded - started) / 1000).toFixed(0)}s, committed ${commit.slice(0, 12)} in ${((performance.now() - uploaded) / 1000).toFixed(1)}s`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const record: GenerationRecord = {
    repository: repo,
    branch,
    commit,
    objects: objects.count,
    method: bucket === directBucket ? 'direct' : UPLOAD_METHOD,
    concurrency: UPLOAD_CONCURRENCY,
    seconds,
    objectsPerSecond: (objects.count - resumedObjects) / seconds,
    resumedObjects,
    generatedAt: new Date().toISOString(),
  };
  writeRecord(recordName, record);
  return { commit, record, kept: false, bucket };
}

export interface KeptRepository {
  repo: string;
  /** The namespace's prefix in the source bucket, and in region B's bucket (replication keeps keys). */
  prefix: string;
  /** The bucket in region A holding the namespace. */
  sourceBucket: string;
  head: string;
  /** One line on where the repository came from: generated now, or kept from an earlier run. */
  origin: string;
}

const describe = (record: GenerationRecord | undefined, kept: boolean) =>
  record
    ? `${kept ? 'kept from an earlier run, ' : ''}generated in ${record.seconds.toFixed(0)}s (${record.objectsPerSecond.toFixed(0)} objects/s through ${record.method}, ${record.concurrency} at a time${record.resumedObjects ? `, ${record.resumedObjects} staged by an interrupted run` : ''})`
    : 'kept from an earlier run (no generation record)';

export const firstSyncRepository = (objects: number) => `bench-first-sync-m${objects}`;

/** The repository of `objects` objects in one commit on main. */
export async function ensureFirstSyncRepository(objects: number): Promise<KeptRepository> {
  const repo = firstSyncRepository(objects);
  const set: ObjectSet = { count: objects, pathOf: partitionedKey, addressOf: directAddress(0) };
  const { commit, record, kept, bucket } = await ensureCommit(`first-sync-${objects}`, repo, 'main', 'main', set, String(objects));
  return { repo, prefix: `bench/${repo}`, sourceBucket: bucket, head: commit, origin: describe(record, kept) };
}

export const bigCommitRepository = (objects: number, base: number) =>
  `bench-big-commit-n${objects}${base === DEFAULT_BIG_COMMIT_BASE_OBJECTS ? '' : `-b${base}`}`;
/** The branch of a big-commit repository holding the big commit of `layout`; main stays at the base. */
export const bigBranch = (layout: BigCommitLayout) => `big-${layout}`;

/**
 * A repository of `baseObjects` objects on main, and a big commit of `objects` more on top of it
 * for each layout, on its own branch. A direct repository's two big commits share their objects
 * (the same addresses under other paths), so the second layout writes only range files.
 */
export async function ensureBigCommitRepository(
  layout: BigCommitLayout,
  objects: number,
  baseObjects = DEFAULT_BIG_COMMIT_BASE_OBJECTS,
): Promise<KeptRepository & { base: string }> {
  const repo = bigCommitRepository(objects, baseObjects);
  const mark = `${layout}-${objects}`;
  // An interrupted benchmark may have left main at a big commit: main goes back to the base first.
  await createRepositoryIfMissing(repo);
  const main = await source.getCommit(repo, (await source.getBranch(repo, 'main')).commit_id);
  if (/^(clustered|scattered)-/.test(main.metadata?.[COMMIT_MARK] ?? '')) await source.hardResetBranch(repo, 'main', main.parents[0]);
  const baseSet: ObjectSet = { count: baseObjects, pathOf: partitionedKey, addressOf: directAddress(0) };
  const bigSet: ObjectSet = { count: objects, pathOf: bigCommitKey(layout, baseObjects), addressOf: directAddress(1) };
  const base = await ensureCommit(`${repo}-base`, repo, 'main', 'main', baseSet, String(baseObjects));
  const big = await ensureCommit(`${repo}-${layout}`, repo, bigBranch(layout), 'main', bigSet, mark, [baseSet]);
  return {
    repo,
    prefix: `bench/${repo}`,
    sourceBucket: big.bucket,
    head: big.commit,
    base: base.commit,
    origin: `base: ${describe(base.record, base.kept)}; big commit: ${describe(big.record, big.kept)}`,
  };
}
