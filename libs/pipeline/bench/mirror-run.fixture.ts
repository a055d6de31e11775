import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { loadConfig, parseStorageNamespace } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client, lakefsMetadataObject, listKeysPage } from '@lakemirror/object-store';
import { ALL_QUEUES } from '@lakemirror/queues';
import { S3ObjectSource, readMetaRange } from '@lakemirror/range-reader';
import { migratedSchema } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';

// What the scale benchmarks share: the floor (a raw LIST of region B), waiting for replication,
// and one mirror run as in production (scanner, verifier and promoter each its own process, on a
// fresh PostgreSQL schema and queue prefix), with its cost read back from PostgreSQL.

const config = loadConfig();
export const region = config.regions[0];
export const destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
const sourceS3 = createS3Client(config.source.objectStore);
export const mirrorS3 = createS3Client(region.objectStore);
const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
export const mirrorBucket = process.env.LAKEMIRROR_REGION_REGION_B_BUCKET as string;
const log = (text: string) => process.stdout.write(`${text}\n`);
export const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * A sequential ListObjectsV2 of everything under `prefix`, page after page, reading only the keys
 * (listKeysPage, as the verifier does): the floor a first synchronisation is measured against.
 */
export async function rawList(client: typeof mirrorS3, bucket: string, prefix: string): Promise<{ keys: number; pages: number; seconds: number }> {
  const started = performance.now();
  let keys = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await listKeysPage(client, { bucket, prefix, continuationToken: token });
    pages++;
    keys += page.keys.length;
    token = page.nextToken;
  } while (token);
  return { keys, pages, seconds: seconds(started) };
}

/** The raw LIST of a namespace prefix in region B. */
export const listRegionB = (prefix: string) => rawList(mirrorS3, mirrorBucket, `${prefix}/`);

/**
 * Waits until region B holds as many keys under the namespace prefix as the source bucket (MinIO
 * replication keeps keys); returns the seconds waited. Fails when region B stops gaining keys.
 */
export async function waitForRegionB(prefix: string, bucket = sourceBucket, stallMs = 10 * 60_000): Promise<number> {
  const started = performance.now();
  const expected = (await rawList(sourceS3, bucket, `${prefix}/`)).keys;
  let best = -1;
  let progressAt = Date.now();
  for (;;) {
    const present = (await listRegionB(prefix)).keys;
    if (present >= expected) return seconds(started);
    if (present > best) {
      best = present;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallMs) {
      throw new Error(`region B stopped at ${present} of ${expected} keys under ${prefix}/ for ${stallMs / 60_000} minutes`);
    }
    log(`    replication to region B: ${present} of ${expected} keys under ${prefix}/ after ${seconds(started).toFixed(0)}s`);
    await sleep(5_000);
  }
}

/** The range files (IDs) of a commit's metarange, read from region B. */
export async function rangesOf(prefix: string, metaRangeId: string): Promise<string[]> {
  const location = lakefsMetadataObject(parseStorageNamespace(`s3://${mirrorBucket}/${prefix}`), metaRangeId);
  return (await readMetaRange(new S3ObjectSource(mirrorS3, location.bucket, location.key))).map((range) => range.id);
}

/** Peak resident set size (VmHWM, in kiB) of a running process, in MB. */
export function peakRssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return (Number(line?.match(/(\d+)/)?.[1] ?? NaN) * 1024) / 1e6;
}

/** The goal's bound on a commit's object-store requests: 1.2 per 1,000 objects, one per range file, 20 more. */
export const requestBound = (objects: number, ranges: number) => Math.floor((1.2 * objects) / 1000 + ranges + 20);

type Db = Awaited<ReturnType<typeof migratedSchema>>['db'];

/**
 * Object-store requests the pipeline recorded for `mirror` (for `commits` only, when given): every
 * column named *requests in a table with a mirror_id, read from the schema so that a new counter
 * is summed without changing this benchmark. Audits are a separate activity and left out.
 */
export async function recordedRequests(db: Db, schema: string, mirror: string, commits?: string[]): Promise<{ total: number; byColumn: Map<string, number> }> {
  const columns: { table_name: string; column_name: string; has_commit: boolean }[] = await db.query(
    `SELECT c.table_name, c.column_name,
            EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = $1 AND k.table_name = c.table_name AND k.column_name = 'commit_id') AS has_commit
     FROM information_schema.columns c
     WHERE c.table_schema = $1 AND c.column_name LIKE '%requests' AND c.table_name NOT LIKE '%audit%'
       AND EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = $1 AND k.table_name = c.table_name AND k.column_name = 'mirror_id')`,
    [schema],
  );
  const byColumn = new Map<string, number>();
  for (const { table_name: table, column_name: column, has_commit: hasCommit } of columns) {
    if (commits && !hasCommit) continue;
    const filter = commits ? 'AND commit_id = ANY($2)' : '';
    const [row] = await db.query(
      `SELECT coalesce(sum("${column}"), 0) AS n FROM "${schema}"."${table}" WHERE mirror_id = $1 ${filter}`,
      commits ? [mirror, commits] : [mirror],
    );
    byColumn.set(`${table}.${column}`, Number(row.n));
  }
  return { total: [...byColumn.values()].reduce((a, b) => a + b, 0), byColumn };
}

/** The pipeline's apps, each its own process, on a fresh schema and queue prefix; `close` stops them and removes what the run made. */
export interface PipelineRun {
  schema: string;
  db: Db;
  apps: Map<string, AppProcess>;
  /** The verifier's peak RSS (MB) once healthy, before any mirror: what loading its code cost. */
  verifierRssAtStartMB: number;
  /** Creates the destination repository, then records the mirror; resolves with the moment (performance.now()) the mirror was recorded. */
  register(mirror: string, sourceRepository: string, prefix: string, branches?: string[]): Promise<number>;
  waitForBranch(mirror: string, branch: string, commitId: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Settings the benchmarks give the apps; anything else (chunk sizes, concurrency) is the apps' default or the caller's environment. */
/** LAKEMIRROR_BENCH_RUN_FROM=dist runs the production bundles (npx nx run-many -t build): no TypeScript compiler in the verifier's memory. */
export const APPS_FROM = process.env.LAKEMIRROR_BENCH_RUN_FROM === 'dist' ? 'dist' : 'sources';
const APP_SETTINGS = {
  LAKEMIRROR_SCAN_INTERVAL_MS: process.env.LAKEMIRROR_SCAN_INTERVAL_MS ?? '500',
  LAKEMIRROR_LOG_LEVEL: process.env.LAKEMIRROR_BENCH_APP_LOG_LEVEL ?? 'warn',
};
/** LAKEMIRROR_BENCH_APP_LOGS=<directory>: each app's output is written there (<app>.log) when the run closes, to see where a run's time went. */
const APP_LOGS = process.env.LAKEMIRROR_BENCH_APP_LOGS;

export async function startPipeline(): Promise<PipelineRun> {
  const schema = await migratedSchema('lm_bench');
  const queuePrefix = uniqueName('lmq');
  const env = { ...APP_SETTINGS, LAKEMIRROR_DATABASE_SCHEMA: schema.schema, LAKEMIRROR_QUEUE_PREFIX: queuePrefix };
  const apps = new Map<string, AppProcess>();
  const mirrors: string[] = [];
  const close = async () => {
    await Promise.all([...apps.values()].map((a) => a.stop().catch(() => undefined)));
    if (APP_LOGS) {
      mkdirSync(APP_LOGS, { recursive: true });
      for (const [name, app] of apps) writeFileSync(path.join(APP_LOGS, `${name}.log`), app.output());
    }
    for (const name of ALL_QUEUES) {
      const queue = new Queue(name, { connection: { url: config.redisUrl }, prefix: queuePrefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await schema.drop();
    for (const mirror of mirrors) await destination.deleteRepository(mirror, { force: true }).catch(() => undefined);
  };
  try {
    // One at a time, with one retry: a node process compiling its sources on 2 busy cores may need most of its health timeout.
    for (const name of ['scanner', 'promoter', 'verifier'])
      apps.set(name, await startAppProcess(name, env, { from: APPS_FROM }).catch(() => startAppProcess(name, env, { from: APPS_FROM })));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    schema: schema.schema,
    db: schema.db,
    apps,
    verifierRssAtStartMB: peakRssMB((apps.get('verifier') as AppProcess).pid),
    close,
    async register(mirror, sourceRepository, prefix, branches = ['*']) {
      const namespace = `s3://${mirrorBucket}/${prefix}`;
      await destination.createRepository({ name: mirror, storage_namespace: namespace, default_branch: 'main', read_only: true }, { bare: true });
      mirrors.push(mirror);
      const registered = performance.now();
      await schema.db.query(
        `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by, branch_include) VALUES ($1, $2, $3, $4, 'active', 'bench', $5)`,
        [mirror, sourceRepository, region.name, namespace, JSON.stringify(branches)],
      );
      return registered;
    },
    async waitForBranch(mirror, branch, commitId, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const head = await destination.getBranch(mirror, branch).then(
          (b) => b.commit_id,
          () => undefined,
        );
        if (head === commitId) return;
        for (const [name, app] of apps)
          if (!existsSync(`/proc/${app.pid}`)) throw new Error(`${name} exited during the run; its output: ${app.output().slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`mirror ${mirror} did not reach ${commitId} on ${branch} in ${timeoutMs / 60_000} minutes`);
        await sleep(100);
      }
    },
  };
}

/** A mirror name no earlier run used. */
export const mirrorName = (repo: string) => uniqueName(repo.replace(/^bench-/, 'mb-')).slice(0, 60);

/** Right-aligned columns, the first left-aligned. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((cells) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`);
}
