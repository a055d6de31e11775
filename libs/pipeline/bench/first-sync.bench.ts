import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { KeptRepository, ensureFirstSyncRepository, source } from './kept-repositories';
import {
  APPS_FROM,
  listRegionB,
  mirrorName,
  peakRssMB,
  rangesOf,
  recordedRequests,
  requestBound,
  seconds,
  startPipeline,
  table,
  waitForRegionB,
} from './mirror-run.fixture';

// Benchmark (not a test), issue #12 goal 1: the first synchronisation of a repository of M objects
// in one commit, side by side with the floor measured in the same run: one sequential LIST of the
// repository's namespace in region B. For each M the source repository is generated once and kept
// (kept-repositories.ts; `generate-repositories.ts first-sync M` makes it ahead of time), the
// benchmark waits until region B holds every key of its namespace, LISTs it, then mirrors it from
// scratch: fresh PostgreSQL schema and queue prefix, scanner, verifier and promoter each its own
// process, time from registration to the mirror branch at the source head. Requests are what the
// pipeline recorded in PostgreSQL; ranges are counted in the commit's metarange; the verifier's peak
// RSS is its VmHWM. Goals: requests <= 1.2 * M/1000 + ranges + 20; time <= 2x the LIST; time per
// object at the largest M within 1.3x of the smallest's; verifier peak RSS under 300 MB.
// LAKEMIRROR_BENCH_FIRST_SYNC_SIZES (default "100000,1000000"), LAKEMIRROR_BENCH_TIMEOUT_MINUTES (default 60).

const sizes = (process.env.LAKEMIRROR_BENCH_FIRST_SYNC_SIZES ?? '100000,1000000').split(',').map((s) => Number(s.trim()));
if (sizes.some((m) => !Number.isInteger(m) || m < 1 || m > 9_999_999))
  throw new Error(
    `LAKEMIRROR_BENCH_FIRST_SYNC_SIZES must be integers from 1 to 9999999 separated by commas, got "${process.env.LAKEMIRROR_BENCH_FIRST_SYNC_SIZES}"`,
  );
const timeoutMs = Number(process.env.LAKEMIRROR_BENCH_TIMEOUT_MINUTES ?? 60) * 60_000;
const RSS_GOAL_MB = 300;
const log = (text: string) => process.stdout.write(`${text}\n`);

interface Result {
  objects: number;
  list: { keys: number; pages: number; seconds: number };
  ranges: number;
  seconds: number;
  requests: number;
  bound: number;
  rssMB: number;
}

async function run(objects: number): Promise<Result> {
  log(`\nM = ${objects.toLocaleString('en-US')} objects`);
  const started = performance.now();
  const repository: KeptRepository = await ensureFirstSyncRepository(objects);
  log(`  source ${repository.repo} at ${repository.head.slice(0, 12)}: ${repository.origin} (ready after ${seconds(started).toFixed(0)}s)`);
  const replication = await waitForRegionB(repository.prefix, repository.sourceBucket);
  log(`  replication: every key of ${repository.prefix}/ in region B after ${replication.toFixed(1)}s of waiting`);

  const list = await listRegionB(repository.prefix);
  log(`  floor: raw sequential LIST of the namespace in region B: ${list.keys} keys in ${list.pages} pages, ${list.seconds.toFixed(2)}s`);
  const commit = await source.getCommit(repository.repo, repository.head);
  const ranges = (await rangesOf(repository.prefix, commit.meta_range_id)).length;

  const pipeline = await startPipeline();
  try {
    const mirror = mirrorName(repository.repo);
    const load = os.loadavg()[0];
    const registered = await pipeline.register(mirror, repository.repo, repository.prefix);
    await pipeline.waitForBranch(mirror, 'main', repository.head, timeoutMs);
    const took = seconds(registered);
    const verifier = pipeline.apps.get('verifier');
    const rssMB = verifier ? peakRssMB(verifier.pid) : NaN;
    const requests = await recordedRequests(pipeline.db, pipeline.schema, mirror);
    const bound = requestBound(objects, ranges);
    log(
      `  mirrored in ${took.toFixed(2)}s (${((1e6 * took) / objects).toFixed(1)} µs per object), ${(took / list.seconds).toFixed(2)}x the LIST (goal <= 2); load average ${load.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (apps from ${APPS_FROM})`,
    );
    log(
      `  object-store requests ${requests.total} (${[...requests.byColumn].map(([column, n]) => `${column} ${n}`).join(', ')}) vs bound ${bound} ` +
        `(1.2 x ${objects}/1000 + ${ranges} ranges + 20): ${(requests.total / bound).toFixed(2)}x`,
    );
    log(
      `  verifier peak RSS (VmHWM) ${rssMB.toFixed(0)} MB (goal < ${RSS_GOAL_MB} MB); ${pipeline.verifierRssAtStartMB.toFixed(0)} MB of it reached at start, before any mirror`,
    );
    return { objects, list, ranges, seconds: took, requests: requests.total, bound, rssMB };
  } finally {
    await pipeline.close();
  }
}

function report(results: Result[]): void {
  const perObject = (r: Result) => r.seconds / r.objects;
  log(
    `\nsummary (${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end)`,
  );
  const rows = results.map((r) => [
    r.objects.toLocaleString('en-US'),
    String(r.ranges),
    String(r.requests),
    String(r.bound),
    (r.requests / r.bound).toFixed(2),
    r.list.seconds.toFixed(2),
    r.seconds.toFixed(2),
    (r.seconds / r.list.seconds).toFixed(2),
    (1e6 * perObject(r)).toFixed(1),
    r.rssMB.toFixed(0),
  ]);
  for (const line of table(['M', 'ranges', 'requests', 'bound', 'ratio', 'LIST s', 'mirror s', 'vs LIST', 'µs/object', 'verifier MB'], rows)) log(line);

  const smallest = results.reduce((a, b) => (b.objects < a.objects ? b : a));
  const largest = results.reduce((a, b) => (b.objects > a.objects ? b : a));
  const linearity = perObject(largest) / perObject(smallest);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const goals: string[][] = [
    ...results.map((r) => [
      `requests <= 1.2 x M/1000 + ranges + 20, M = ${r.objects}`,
      `${r.requests} / ${r.bound} = ${(r.requests / r.bound).toFixed(2)}`,
      met(r.requests <= r.bound),
    ]),
    ...results.map((r) => [`time <= 2 x raw LIST, M = ${r.objects}`, `${(r.seconds / r.list.seconds).toFixed(2)}x`, met(r.seconds <= 2 * r.list.seconds)]),
    ...(largest === smallest
      ? [['time per object linear in M', 'one size only', '-']]
      : [
          [`time per object at M = ${largest.objects} within 1.3x of M = ${smallest.objects}`, `${linearity.toFixed(2)}x`, met(linearity <= 1.3)],
          // The floor's own growth: a LIST page costs the store more as the bucket grows.
          [
            `  the raw LIST's time per key, same sizes (the store itself)`,
            `${(largest.list.seconds / largest.list.keys / (smallest.list.seconds / smallest.list.keys)).toFixed(2)}x`,
            '-',
          ],
        ]),
    [`verifier peak RSS < ${RSS_GOAL_MB} MB at M = ${largest.objects}`, `${largest.rssMB.toFixed(0)} MB`, met(largest.rssMB < RSS_GOAL_MB)],
  ];
  log('\ngoals');
  for (const line of table(['goal', 'measured', 'status'], goals)) log(line);
}

async function main(): Promise<void> {
  log(`first synchronisation benchmark: M = ${sizes.join(', ')}`);
  const results: Result[] = [];
  for (const objects of sizes) results.push(await run(objects));
  report(results);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
