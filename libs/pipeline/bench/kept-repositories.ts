import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { mapWithConcurrency } from '@lakemirror/object-store';

// Source repositories of the scale benchmarks (bench:first-sync, bench:big-commit), generated once
// and kept between runs: a million uploads take tens of minutes here. A repository is reused when
// its branch's head carries the commit metadata `lakemirror_bench_objects`; after a crash the
// objects already staged on the branch are listed and skipped, and the commit is made once.

/** How objects reach the source lakeFS: its upload API, or its S3 gateway (measured faster here: `generate-repositories.ts trial`). */
export type UploadMethod = 'api' | 's3-gateway';

export const UPLOAD_CONCURRENCY = Number(process.env.LAKEMIRROR_BENCH_UPLOAD_CONCURRENCY ?? 64);
export const UPLOAD_METHOD: UploadMethod = (process.env.LAKEMIRROR_BENCH_UPLOAD_METHOD as UploadMethod | undefined) ?? 'api';
/** Objects of the base of a big-commit repository (the keys of a first-sync repository of that size). */
export const DEFAULT_BIG_COMMIT_BASE_OBJECTS = 100_000;
const COMMIT_MARK = 'lakemirror_bench_objects';
const ROOT = path.resolve(__dirname, '../../..');
/** Under .lakemirror, which git ignores, next to the environment's settings. */
export const RECORDS_DIR = path.join(ROOT, '.lakemirror', 'bench');

const config = loadConfig();
export const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
export const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
const log = (text: string) => process.stdout.write(`${text}\n`);

const pad = (n: number, width: number) => String(n).padStart(width, '0');

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

async function createRepositoryIfMissing(repo: string): Promise<void> {
  try {
    await source.getRepository(repo);
  } catch (error) {
    if (!(error instanceof LakefsNotFoundError)) throw error;
    await source.createRepository({ name: repo, storage_namespace: `s3://${sourceBucket}/bench/${repo}`, default_branch: 'main' });
  }
}

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
 * Makes sure `branch` of `repo` has a commit of `count` objects named by `keyOf` on top of `from`
 * (a branch), marked `mark`: reuses it, finishes an interrupted upload, or makes it.
 */
export async function ensureCommit(
  recordName: string,
  repo: string,
  branch: string,
  from: string,
  count: number,
  keyOf: (i: number) => string,
  mark: string,
): Promise<{ commit: string; record?: GenerationRecord; kept: boolean }> {
  await createRepositoryIfMissing(repo);
  if (branch !== from) await createBranchIfMissing(repo, branch, from);
  const kept = await markedHead(repo, branch, mark);
  if (kept) return { commit: kept, record: readRecord(recordName), kept: true };

  const started = performance.now();
  const staged = new Set((await collect(source.diffBranch(repo, branch, { amount: 1000 }))).map((d) => d.path));
  const todo = [...Array(count).keys()].filter((i) => !staged.has(keyOf(i)));
  log(
    `  generating ${repo} (${branch}): ${count} objects, ${staged.size} already staged by an interrupted run, ${todo.length} to upload through ${UPLOAD_METHOD}, ${UPLOAD_CONCURRENCY} at a time`,
  );
  await uploadObjects(repo, branch, todo, keyOf);
  const uploaded = performance.now();
  const commit = await source.commit(repo, branch, { message: `${count} bench objects`, metadata: { [COMMIT_MARK]: mark } });
  const seconds = (performance.now() - started) / 1000;
  log(
    `  uploaded in ${((uploaded - started) / 1000).toFixed(0)}s, committed ${commit.id.slice(0, 12)} in ${((performance.now() - uploaded) / 1000).toFixed(1)}s`,
  );
  const record: GenerationRecord = {
    repository: repo,
    branch,
    commit: commit.id,
    objects: count,
    method: UPLOAD_METHOD,
    concurrency: UPLOAD_CONCURRENCY,
    seconds,
    objectsPerSecond: todo.length / seconds,
    resumedObjects: staged.size,
    generatedAt: new Date().toISOString(),
  };
  writeRecord(recordName, record);
  return { commit: commit.id, record, kept: false };
}

export interface KeptRepository {
  repo: string;
  /** The namespace's prefix in the source bucket, and in region B's bucket (replication keeps keys). */
  prefix: string;
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
  const { commit, record, kept } = await ensureCommit(`first-sync-${objects}`, repo, 'main', 'main', objects, partitionedKey, String(objects));
  return { repo, prefix: `bench/${repo}`, head: commit, origin: describe(record, kept) };
}

export const bigCommitRepository = (layout: BigCommitLayout, objects: number, base: number) =>
  `bench-big-commit-${layout}-n${objects}${base === DEFAULT_BIG_COMMIT_BASE_OBJECTS ? '' : `-b${base}`}`;
/** The branch of a big-commit repository holding the big commit; main stays at the base. */
export const BIG_BRANCH = 'big';

/** A repository of `baseObjects` objects on main, and the big commit of `objects` more on branch `big`. */
export async function ensureBigCommitRepository(
  layout: BigCommitLayout,
  objects: number,
  baseObjects = DEFAULT_BIG_COMMIT_BASE_OBJECTS,
): Promise<KeptRepository & { base: string }> {
  const repo = bigCommitRepository(layout, objects, baseObjects);
  const mark = `${layout}-${objects}`;
  // An interrupted benchmark may have left main at the big commit: main goes back to the base first.
  await createRepositoryIfMissing(repo);
  const main = await source.getCommit(repo, (await source.getBranch(repo, 'main')).commit_id);
  if (main.metadata?.[COMMIT_MARK] === mark) await source.hardResetBranch(repo, 'main', main.parents[0]);
  const base = await ensureCommit(`${repo}-base`, repo, 'main', 'main', baseObjects, partitionedKey, String(baseObjects));
  const big = await ensureCommit(repo, repo, BIG_BRANCH, 'main', objects, bigCommitKey(layout, baseObjects), mark);
  return {
    repo,
    prefix: `bench/${repo}`,
    head: big.commit,
    base: base.commit,
    origin: `base: ${describe(base.record, base.kept)}; big commit: ${describe(big.record, big.kept)}`,
  };
}
