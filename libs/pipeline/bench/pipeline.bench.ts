import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { LakefsClient, collect } from '@lakemirror/lakefs-client';
import { createS3Client, findMissingKeys, listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { migratedSchema } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { readPipelineSettings } from '../src';
import { createPipeline } from '../src/pipeline.fixture';

// Benchmark (not a test): mirrors a commit adding N objects to a repository of M objects, for
// two sizes of M, and prints for each the verification time and the object-store requests the
// verification made (they should grow with N, not with M), and the lag from the moment the last
// object of a commit lands in region B to the moment the mirror branch moves.
// LAKEMIRROR_BENCH_SIZES (default "10000,100000") and LAKEMIRROR_BENCH_NEW_OBJECTS (default 1000).

const sizes = (process.env.LAKEMIRROR_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const newObjects = Number(process.env.LAKEMIRROR_BENCH_NEW_OBJECTS ?? 1_000);
const config = loadConfig();
const region = config.regions[0];
const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
const destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
const sourceS3 = createS3Client(config.source.objectStore);
const mirrorS3 = createS3Client(region.objectStore);
const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
const mirrorBucket = process.env.LAKEMIRROR_REGION_REGION_B_BUCKET as string;
const log = (text: string) => process.stdout.write(`${text}\n`);

/** Uploads `count` objects into 100 partitions of `folder`, numbered from `first`. */
async function upload(repo: string, folder: string, count: number, first = 0): Promise<void> {
  let done = 0;
  await mapWithConcurrency(
    [...Array(count).keys()].map((i) => i + first),
    32,
    async (i) => {
      await source.uploadObject(
        repo,
        'main',
        `${folder}/part=${String(i % 100).padStart(3, '0')}/object-${String(i).padStart(7, '0')}.parquet`,
        `${folder} ${i}`,
      );
      if (++done % 20_000 === 0) log(`    uploaded ${done}/${count}`);
    },
  );
}

/** Waits until every one of `keys` (source namespace keys) has reached region B; returns when the last one landed. */
async function waitForReplication(keys: string[]): Promise<number> {
  for (;;) {
    const { missing } = await findMissingKeys(mirrorS3, mirrorBucket, keys, { concurrency: 32 });
    if (missing.length === 0) return performance.now();
    await sleep(20);
  }
}

/** Uploads and commits N new objects; returns the commit and every key it added to the namespace (data and metadata). */
async function commitNew(repo: string, prefix: string, folder: string, known: Set<string>, first = 0) {
  await upload(repo, folder, newObjects, first);
  const data = (await collect(listKeys(sourceS3, sourceBucket, `${prefix}/data/`))).filter((k) => !known.has(k));
  const commit = await source.commit(repo, 'main', { message: `${newObjects} new objects in ${folder}` });
  const metadata = (await collect(listKeys(sourceS3, sourceBucket, `${prefix}/_lakefs/`))).filter((k) => !known.has(k));
  for (const key of [...data, ...metadata]) known.add(key);
  return { commit, keys: [...data, ...metadata] };
}

async function waitForBranch(mirror: string, commitId: string): Promise<number> {
  for (;;) {
    const head = await destination.getBranch(mirror, 'main').then(
      (b) => b.commit_id,
      () => undefined,
    );
    if (head === commitId) return performance.now();
    await sleep(20);
  }
}

async function run(size: number) {
  log(`\nM = ${size.toLocaleString('en-US')} objects`);
  const repo = uniqueName(`bench-m${size}`);
  const mirror = `${repo}-m`;
  const prefix = `bench/${repo}`;
  const schema = await migratedSchema('lm_bench');
  // The lag figures below are measured with a 2 s poll and no hooks (bench:hooks measures with hooks).
  const settings = readPipelineSettings(new EnvReader({ LAKEMIRROR_SCAN_INTERVAL_MS: '2000', ...process.env }));
  const pipelineConfig = { ...config, databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') };
  const pipeline = await createPipeline(pipelineConfig, settings, ['verifier', 'promoter'], 'warn');
  let scanning: Awaited<ReturnType<typeof createPipeline>> | undefined;
  try {
    await source.createRepository({ name: repo, storage_namespace: `s3://${sourceBucket}/${prefix}`, default_branch: 'main' });
    log(`  preparing the repository (${size} uploads)`);
    await upload(repo, 'existing', size);
    const base = await source.commit(repo, 'main', { message: `${size} objects` });
    await destination.createRepository(
      { name: mirror, storage_namespace: `s3://${mirrorBucket}/${prefix}`, default_branch: 'main', read_only: true },
      { bare: true },
    );
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, $3, $4, 'active', 'bench')`,
      [mirror, repo, region.name, `s3://${mirrorBucket}/${prefix}`],
    );
    const known = new Set(await collect(listKeys(sourceS3, sourceBucket, `${prefix}/`)));
    await waitForReplication([...known]);
    let started = performance.now();
    await pipeline.scanner.scanMirror(mirror);
    await waitForBranch(mirror, base.id);
    const initial = await costOf(schema.db, mirror, base.id);
    log(
      `  initial mirroring of all M objects: ${((performance.now() - started) / 1000).toFixed(2)}s, ${initial.requests} requests, ${initial.objects} objects checked`,
    );

    // Cost: a commit of N new objects, verified once everything has replicated.
    const { commit: added, keys } = await commitNew(repo, prefix, 'new-1', known);
    await waitForReplication(keys);
    started = performance.now();
    await pipeline.scanner.scanMirror(mirror);
    const moved = await waitForBranch(mirror, added.id);
    const cost = await costOf(schema.db, mirror, added.id);
    const verification = (moved - started) / 1000;
    log(
      `  commit of N = ${newObjects} new objects: verified and promoted in ${verification.toFixed(2)}s, ${cost.requests} object-store requests, ${cost.objects} objects looked up in ${cost.chunks} chunk(s) (${cost.skipped} more in the new ranges already proven by the parent's ranges)`,
    );

    // The same N objects spread over the 100 existing partitions: every range changes, yet only the
    // new objects are looked up; the rest is vouched for by the parent's verified ranges.
    const spread = await commitNew(repo, prefix, 'existing', known, size);
    await waitForReplication(spread.keys);
    started = performance.now();
    await pipeline.scanner.scanMirror(mirror);
    const spreadMoved = await waitForBranch(mirror, spread.commit.id);
    const spreadCost = await costOf(schema.db, mirror, spread.commit.id);
    log(
      `  commit of N = ${newObjects} objects spread over every existing partition: verified and promoted in ${((spreadMoved - started) / 1000).toFixed(2)}s, ` +
        `${spreadCost.requests} object-store requests, ${spreadCost.objects} objects looked up in ${spreadCost.chunks} chunk(s), ${spreadCost.skipped} skipped as proven by the parent's ranges`,
    );

    // Lag: the scanner on its timer, commits whose objects replicate while the pipeline watches.
    scanning = await createPipeline(pipelineConfig, settings, ['scanner'], 'warn');
    const lags: number[] = [];
    for (let i = 2; i <= 4; i++) {
      const next = await commitNew(repo, prefix, `new-${i}`, known);
      const [landed, movedAfter] = await Promise.all([waitForReplication(next.keys), waitForBranch(mirror, next.commit.id)]);
      lags.push(Math.max(0, (movedAfter - landed) / 1000));
    }
    const lag = [...lags].sort((a, b) => a - b)[1];
    log(
      `  lag from the last object landing in region B to the mirror branch moving: ${lags.map((l) => `${l.toFixed(2)}s`).join(', ')} (median ${lag.toFixed(2)}s; scan interval ${settings.scanIntervalMs} ms)`,
    );
    return { size, verification, requests: cost.requests, objects: cost.objects, lag, spread: spreadCost };
  } finally {
    await scanning?.close();
    await pipeline.close();
    await schema.drop();
    await destination.deleteRepository(mirror, { force: true }).catch(() => undefined);
    await source.deleteRepository(repo).catch(() => undefined);
  }
}

async function costOf(
  db: { query: (sql: string, params: unknown[]) => Promise<{ requests: string; objects: string; skipped: string; chunks: string }[]> },
  mirror: string,
  commitId: string,
) {
  const [row] = await db.query(
    `SELECT (SELECT planning_requests FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2) + coalesce(sum(requests), 0) AS requests,
            coalesce(sum(objects), 0) - coalesce(sum(skipped_objects), 0) AS objects, coalesce(sum(skipped_objects), 0) AS skipped, count(*) AS chunks
     FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2`,
    [mirror, commitId],
  );
  return { requests: Number(row.requests), objects: Number(row.objects), skipped: Number(row.skipped), chunks: Number(row.chunks) };
}

async function main(): Promise<void> {
  log(`pipeline benchmark: N = ${newObjects} new objects on repositories of M = ${sizes.join(', ')} objects`);
  const results = [];
  for (const size of sizes) results.push(await run(size));
  const [small, large] = results;
  log('\nsummary');
  for (const r of results) {
    log(
      `  M = ${String(r.size).padStart(9)}: N new objects: verification ${r.verification.toFixed(2)}s, ${r.requests} requests, ${r.objects} objects looked up; ` +
        `N spread: ${r.spread.requests} requests, ${r.spread.objects} looked up, ${r.spread.skipped} skipped; lag ${r.lag.toFixed(2)}s`,
    );
  }
  if (large) {
    log(
      `  M grew ${(large.size / small.size).toFixed(0)}x; verification requests ${(large.requests / small.requests).toFixed(2)}x, objects checked ${(large.objects / small.objects).toFixed(2)}x, time ${(large.verification / small.verification).toFixed(2)}x`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
