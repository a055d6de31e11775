import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { BigCommitLayout, DEFAULT_BIG_COMMIT_BASE_OBJECTS, ensureBigCommitRepository, source } from './kept-repositories';
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

// Benchmark (not a test), issue #12 goal 2: one commit adding N objects on top of a repository of
// 100,000, clustered (one new folder sorting after every key) and scattered (next to existing keys
// in every partition, so every range changes). Both layouts share one kept repository
// (kept-repositories.ts): main holds the 100,000-object base commit, branches `big-clustered` and
// `big-scattered` a big commit each on top of it. Method: the mirror follows main only; it is
// registered while main is at the base and mirrors it first (timed apart); then the source's main
// is hard-reset to the big commit (a fast-forward: no new commit, parent = the verified base) and
// the time runs from that reset to the mirror's main at the big commit. Requests are those the pipeline recorded for the big
// commit only. Afterwards main goes back to the base, so the repository is ready for the next run.
// The floor is a sequential LIST of the whole namespace in region B (base and big commit) in the
// same run. Goals: requests <= 1.2 * N/1000 + new ranges + 20 (ranges of the big commit that the
// base does not have); time <= 2x the LIST; scattered <= 2x clustered.
// LAKEMIRROR_BENCH_BIG_COMMIT_OBJECTS (default 1000000), LAKEMIRROR_BENCH_BIG_COMMIT_LAYOUTS
// (default "clustered,scattered"), LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS (default 100000; another size
// makes other repositories), LAKEMIRROR_BENCH_TIMEOUT_MINUTES (default 60).

const objects = Number(process.env.LAKEMIRROR_BENCH_BIG_COMMIT_OBJECTS ?? 1_000_000);
if (!Number.isInteger(objects) || objects < 1 || objects > 9_999_999)
  throw new Error(`LAKEMIRROR_BENCH_BIG_COMMIT_OBJECTS must be an integer from 1 to 9999999, got "${process.env.LAKEMIRROR_BENCH_BIG_COMMIT_OBJECTS}"`);
const layouts = (process.env.LAKEMIRROR_BENCH_BIG_COMMIT_LAYOUTS ?? 'clustered,scattered').split(',').map((l) => l.trim() as BigCommitLayout);
if (layouts.some((l) => l !== 'clustered' && l !== 'scattered')) throw new Error('LAKEMIRROR_BENCH_BIG_COMMIT_LAYOUTS lists clustered and/or scattered');
const baseObjects = Number(process.env.LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS ?? DEFAULT_BIG_COMMIT_BASE_OBJECTS);
if (!Number.isInteger(baseObjects) || baseObjects < 1 || baseObjects > 9_999_999)
  throw new Error(
    `LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS must be an integer from 1 to 9999999, got "${process.env.LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS}"`,
  );
const timeoutMs = Number(process.env.LAKEMIRROR_BENCH_TIMEOUT_MINUTES ?? 60) * 60_000;
const log = (text: string) => process.stdout.write(`${text}\n`);

interface Result {
  layout: BigCommitLayout;
  list: { keys: number; pages: number; seconds: number };
  ranges: number;
  newRanges: number;
  baseSeconds: number;
  seconds: number;
  requests: number;
  bound: number;
  rssMB: number;
}

async function run(layout: BigCommitLayout): Promise<Result> {
  log(`\n${layout}: N = ${objects.toLocaleString('en-US')} objects on ${baseObjects.toLocaleString('en-US')}`);
  const started = performance.now();
  const repository = await ensureBigCommitRepository(layout, objects, baseObjects);
  log(
    `  source ${repository.repo}: base ${repository.base.slice(0, 12)}, big commit ${repository.head.slice(0, 12)}; ${repository.origin} (ready after ${seconds(started).toFixed(0)}s)`,
  );
  const replication = await waitForRegionB(repository.prefix, repository.sourceBucket);
  log(`  replication: every key of ${repository.prefix}/ in region B after ${replication.toFixed(1)}s of waiting`);
  const list = await listRegionB(repository.prefix);
  log(`  floor: raw sequential LIST of the namespace in region B: ${list.keys} keys in ${list.pages} pages, ${list.seconds.toFixed(2)}s`);
  const [big, base] = await Promise.all([source.getCommit(repository.repo, repository.head), source.getCommit(repository.repo, repository.base)]);
  const bigRanges = await rangesOf(repository.prefix, big.meta_range_id);
  const baseRanges = new Set(await rangesOf(repository.prefix, base.meta_range_id));
  const newRanges = bigRanges.filter((id) => !baseRanges.has(id)).length;

  const pipeline = await startPipeline();
  try {
    const mirror = mirrorName(repository.repo);
    let mark = await pipeline.register(mirror, repository.repo, repository.prefix, ['main']);
    await pipeline.waitForBranch(mirror, 'main', repository.base, timeoutMs);
    const baseSeconds = seconds(mark);
    log(`  base mirrored in ${baseSeconds.toFixed(2)}s`);
    const load = os.loadavg()[0];
    mark = performance.now();
    await source.hardResetBranch(repository.repo, 'main', repository.head);
    await pipeline.waitForBranch(mirror, 'main', repository.head, timeoutMs);
    const took = seconds(mark);
    const verifier = pipeline.apps.get('verifier');
    const rssMB = verifier ? peakRssMB(verifier.pid) : NaN;
    const requests = await recordedRequests(pipeline.db, pipeline.schema, mirror, [repository.head]);
    const bound = requestBound(objects, newRanges);
    log(
      `  big commit mirrored in ${took.toFixed(2)}s (${((1e6 * took) / objects).toFixed(1)} µs per object), ${(took / list.seconds).toFixed(2)}x the LIST (goal <= 2); load average ${load.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end (apps from ${APPS_FROM})`,
    );
    log(
      `  object-store requests for the big commit ${requests.total} (${[...requests.byColumn].map(([column, n]) => `${column} ${n}`).join(', ')}) vs bound ${bound} ` +
        `(1.2 x ${objects}/1000 + ${newRanges} new ranges of ${bigRanges.length} + 20): ${(requests.total / bound).toFixed(2)}x`,
    );
    log(`  verifier peak RSS (VmHWM, base and big commit) ${rssMB.toFixed(0)} MB`);
    return { layout, list, ranges: bigRanges.length, newRanges, baseSeconds, seconds: took, requests: requests.total, bound, rssMB };
  } finally {
    await source.hardResetBranch(repository.repo, 'main', repository.base).catch(() => undefined);
    await pipeline.close();
  }
}

function report(results: Result[]): void {
  log(
    `\nsummary (${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end)`,
  );
  const rows = results.map((r) => [
    r.layout,
    `${r.newRanges}/${r.ranges}`,
    String(r.requests),
    String(r.bound),
    (r.requests / r.bound).toFixed(2),
    r.list.seconds.toFixed(2),
    r.seconds.toFixed(2),
    (r.seconds / r.list.seconds).toFixed(2),
    r.rssMB.toFixed(0),
  ]);
  for (const line of table(['layout', 'new/all ranges', 'requests', 'bound', 'ratio', 'LIST s', 'mirror s', 'vs LIST', 'verifier MB'], rows)) log(line);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const goals: string[][] = [
    ...results.map((r) => [
      `requests <= 1.2 x N/1000 + new ranges + 20, ${r.layout}`,
      `${r.requests} / ${r.bound} = ${(r.requests / r.bound).toFixed(2)}`,
      met(r.requests <= r.bound),
    ]),
    ...results.map((r) => [`time <= 2 x raw LIST, ${r.layout}`, `${(r.seconds / r.list.seconds).toFixed(2)}x`, met(r.seconds <= 2 * r.list.seconds)]),
  ];
  const clustered = results.find((r) => r.layout === 'clustered');
  const scattered = results.find((r) => r.layout === 'scattered');
  if (clustered && scattered) {
    const ratio = scattered.seconds / clustered.seconds;
    goals.push([
      'scattered <= 2 x clustered (time)',
      `${ratio.toFixed(2)}x (requests ${(scattered.requests / Math.max(1, clustered.requests)).toFixed(2)}x)`,
      met(ratio <= 2),
    ]);
  }
  log('\ngoals');
  for (const line of table(['goal', 'measured', 'status'], goals)) log(line);
}

async function main(): Promise<void> {
  log(`big commit benchmark: N = ${objects} objects on a repository of ${baseObjects}, layouts ${layouts.join(', ')}`);
  const results: Result[] = [];
  for (const layout of layouts) results.push(await run(layout));
  report(results);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
