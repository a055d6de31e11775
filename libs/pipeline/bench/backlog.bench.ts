import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvReader } from '@lakemirror/config';
import { Commit, LakefsNotFoundError, collect, commitRecordOf } from '@lakemirror/lakefs-client';
import { listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { readPipelineSettings } from '../src';
import { createPipeline, registerMirror } from '../src/pipeline.fixture';

// Benchmark (not a test): a backlog. LAKEMIRROR_BENCH_BACKLOG_COMMITS commits (default 1,000) of
// LAKEMIRROR_BENCH_BACKLOG_OBJECTS objects each (default 100) are made on one branch while the
// pipeline is down; once every file of them (data and lakeFS metadata) has reached region B, the
// pipeline starts, the mirror is registered, and the time until the mirror branch reaches the
// last commit gives the promotion rate. The floor measured in the same run: the rate at which the
// destination lakeFS alone accepts the same commit records, one after the other (promotion in
// order can be no faster). PostgreSQL queries and Redis commands are counted in this process
// (every query of the pipeline's data source, every ioredis command), per commit.

// LAKEMIRROR_BENCH_BACKLOG_REPOSITORY names a source repository to keep between runs: made the
// first time, reused (with the backlog it holds) after, which saves the uploads.
const COMMITS = Number(process.env.LAKEMIRROR_BENCH_BACKLOG_COMMITS ?? 1_000);
const KEPT_REPOSITORY = process.env.LAKEMIRROR_BENCH_BACKLOG_REPOSITORY;
const OBJECTS = Number(process.env.LAKEMIRROR_BENCH_BACKLOG_OBJECTS ?? 100);
const GOAL_COMMITS_PER_SECOND = 20;
const env = testEnvironment();
const { source, regionB } = env;
const log = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (from: number, to = performance.now()) => (to - from) / 1000;

/** Counts the queries of one data source and every Redis command sent by this process, from `reset()` on. */
function countRoundTrips(pipelineDb: () => DataSource | undefined) {
  const counts = { pg: 0, redis: 0, redisByCommand: new Map<string, number>() };
  const query = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: Parameters<typeof query>) {
    if (this.connection === pipelineDb()) counts.pg++;
    return query.apply(this, args);
  } as typeof query;
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<typeof sendCommand>) {
    counts.redis++;
    const name = args[0]?.name ?? '?';
    counts.redisByCommand.set(name, (counts.redisByCommand.get(name) ?? 0) + 1);
    return sendCommand.apply(this, args);
  } as typeof sendCommand;
  return {
    counts,
    reset() {
      counts.pg = 0;
      counts.redis = 0;
      counts.redisByCommand.clear();
    },
  };
}

/** Makes the backlog: COMMITS commits of OBJECTS objects each on main, oldest first. */
async function makeBacklog(repo: string): Promise<Commit[]> {
  const commits: Commit[] = [];
  const started = performance.now();
  for (let c = 0; c < COMMITS; c++) {
    const folder = `backlog/commit-${String(c).padStart(5, '0')}`;
    await mapWithConcurrency([...Array(OBJECTS).keys()], 50, (i) =>
      source.lakefs.uploadObject(repo, 'main', `${folder}/object-${String(i).padStart(4, '0')}.parquet`, `${folder} ${i}`),
    );
    commits.push(await source.lakefs.commit(repo, 'main', { message: `backlog commit ${c}` }));
    if ((c + 1) % 100 === 0) log(`    ${c + 1}/${COMMITS} commits made (${seconds(started).toFixed(0)}s)`);
  }
  return commits;
}

/** Waits until every key of the source namespace (data and lakeFS metadata) is in region B under the same key. */
async function waitForReplication(prefix: string): Promise<number> {
  const keys = (await collect(listKeys(source.s3, source.bucket, `${prefix}/`))).filter((k) => !k.includes('/_lakefs/actions/'));
  for (;;) {
    const present = new Set(await collect(listKeys(regionB.s3, regionB.bucket, `${prefix}/`)));
    const missing = keys.filter((k) => !present.has(k)).length;
    if (missing === 0) return keys.length;
    await sleep(500);
  }
}

/** The floor: the same commit records created one after the other in a scratch repository of the destination lakeFS. */
async function recordFloor(records: Commit[], prefix: string): Promise<number> {
  const scratch = uniqueName('backlog-floor');
  await regionB.lakefs.createRepository(
    { name: scratch, storage_namespace: `s3://${regionB.bucket}/${prefix}-floor`, default_branch: 'main', read_only: true },
    { bare: true },
  );
  try {
    const started = performance.now();
    for (const commit of records) await regionB.lakefs.createCommitRecord(scratch, commitRecordOf(commit, { force: true }));
    return records.length / seconds(started);
  } finally {
    await regionB.lakefs.deleteRepository(scratch, { force: true }).catch(() => undefined);
  }
}

async function mirrorHead(mirror: string): Promise<string | undefined> {
  try {
    return (await regionB.lakefs.getBranch(mirror, 'main')).commit_id;
  } catch (error) {
    if (error instanceof LakefsNotFoundError) return undefined;
    throw error;
  }
}

async function main(): Promise<void> {
  log(`backlog benchmark: ${COMMITS} commits of ${OBJECTS} objects on one branch, made while the pipeline is down`);
  const repo = KEPT_REPOSITORY ?? uniqueName('bench-backlog');
  const mirror = uniqueName(`${repo}-m`);
  const prefix = `bench/${repo}`;
  const schema = await migratedSchema('lm_bench');
  let pipeline: Awaited<ReturnType<typeof createPipeline>> | undefined;
  const counter = countRoundTrips(() => pipeline?.app.get(DataSource, { strict: false }));
  try {
    let phase = performance.now();
    const kept =
      KEPT_REPOSITORY !== undefined &&
      (await source.lakefs.getRepository(repo).then(
        () => true,
        () => false,
      ));
    let last: Commit;
    if (kept) {
      last = await source.lakefs.getCommit(repo, (await source.lakefs.getBranch(repo, 'main')).commit_id);
      log(`  reusing the backlog of ${repo}`);
    } else {
      await source.lakefs.createRepository({ name: repo, storage_namespace: `s3://${source.bucket}/${prefix}`, default_branch: 'main' });
      log(`  making the backlog (${COMMITS * OBJECTS} uploads, ${COMMITS} commits)`);
      const backlog = await makeBacklog(repo);
      last = backlog[backlog.length - 1];
      log(`  backlog made in ${seconds(phase).toFixed(1)}s`);
    }
    phase = performance.now();
    const files = await waitForReplication(prefix);
    log(`  all ${files} files of the namespace in region B ${seconds(phase).toFixed(1)}s later`);

    const history = (await collect(source.lakefs.log(repo, last.id, { amount: 1000 }))).reverse();
    const floor = await recordFloor(history, prefix);
    log(`  floor: the destination lakeFS alone accepts ${history.length} commit records one after the other at ${floor.toFixed(1)} commits/s`);

    const settings = readPipelineSettings(new EnvReader({ LAKEMIRROR_SCAN_INTERVAL_MS: '2000', ...process.env }));
    pipeline = await createPipeline(
      { ...env.config, databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      settings,
      ['scanner', 'verifier', 'promoter'],
      'warn',
    );
    counter.reset();
    const started = performance.now();
    await registerMirror(schema.db, regionB.lakefs, { id: mirror, sourceRepository: repo, storageNamespace: `s3://${regionB.bucket}/${prefix}` });
    await pipeline.scanner.enqueueScan(mirror);
    const order = new Map(history.map((c, i) => [c.id, i]));
    let lastSeen = -1;
    let lastReport = performance.now();
    let lastStates = 0;
    const phases: { verified?: number; recorded?: number } = {};
    for (;;) {
      const head = await mirrorHead(mirror);
      if (head !== undefined) {
        const position = order.get(head);
        if (position === undefined || position < lastSeen) throw new Error(`the mirror branch moved to ${head}, not forward in the source's history`);
        lastSeen = position;
      }
      if (head === last.id) break;
      if (performance.now() - lastStates > 500) {
        lastStates = performance.now();
        const states = (await schema.db.query(`SELECT state, count(*)::int AS n FROM mirror_commits WHERE mirror_id = $1 GROUP BY state ORDER BY state`, [
          mirror,
        ])) as { state: string; n: number }[];
        const count = (...of: string[]) => states.filter((s) => of.includes(s.state)).reduce((n, s) => n + s.n, 0);
        if (phases.verified === undefined && count('verified', 'recorded') === history.length) phases.verified = seconds(started);
        if (phases.recorded === undefined && count('recorded') === history.length) phases.recorded = seconds(started);
        if (performance.now() - lastReport > 10_000) {
          log(`    ${seconds(started).toFixed(0)}s: ${states.map((s) => `${s.state} ${s.n}`).join(', ') || 'nothing discovered yet'}`);
          lastReport = performance.now();
        }
      }
      await sleep(20);
    }
    const elapsed = seconds(started);
    // The branch reached the last commit, so every commit is recorded: a phase not sampled before ended in the last gap.
    phases.verified ??= elapsed;
    phases.recorded ??= elapsed;
    const { pg, redis, redisByCommand } = counter.counts;
    const promoted = history.length;
    const rate = promoted / elapsed;
    const topRedis = [...redisByCommand]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    log(
      `\nsummary (${history.length - 1} commits of ${OBJECTS} objects, scan interval ${settings.scanIntervalMs} ms, verify concurrency ${settings.verifyConcurrency})`,
    );
    log(`  promoted ${promoted} commits in order in ${elapsed.toFixed(1)}s: ${rate.toFixed(1)} commits/s`);
    log(`  every commit verified after ${phases.verified.toFixed(1)}s, recorded after ${phases.recorded.toFixed(1)}s (sampled every 0.5s)`);
    log(`  floor (destination lakeFS accepting the same records in order): ${floor.toFixed(1)} commits/s; ratio measured/floor ${(rate / floor).toFixed(2)}`);
    log(
      `  goal >= ${GOAL_COMMITS_PER_SECOND} commits/s: ${rate >= GOAL_COMMITS_PER_SECOND ? 'met' : 'NOT met'} (ratio ${(rate / GOAL_COMMITS_PER_SECOND).toFixed(2)})`,
    );
    log(
      `  PostgreSQL queries: ${pg} (${(pg / promoted).toFixed(1)} per commit); Redis commands: ${redis} (${(redis / promoted).toFixed(1)} per commit; ${topRedis})`,
    );
  } finally {
    await pipeline?.close();
    await schema.drop();
    await regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    if (KEPT_REPOSITORY === undefined) await source.lakefs.deleteRepository(repo).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
