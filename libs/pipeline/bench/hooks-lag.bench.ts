import { execFile } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { collect } from '@lakemirror/lakefs-client';
import { findMissingKeys, listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';

// Benchmark (not a test): the lag lakeFS hooks leave. The whole pipeline runs as its processes
// (API, scanner, verifier, promoter) with a 60-second poll; the source repository has the actions
// file of `lakemirror hooks --install`. For each of LAKEMIRROR_BENCH_COMMITS commits (default 50)
// of LAKEMIRROR_BENCH_OBJECTS new objects (default 10), uploaded and replicated to region B before
// the commit, it measures the added lag: from the later of the commit and the landing of its last
// object in region B (its metadata, written by the commit, replicates after it) to the mirror
// branch's move. Prints p50 and p99 (goal: under 1 s and 3 s), then the same for
// LAKEMIRROR_BENCH_POLL_COMMITS commits (default 3; 0 skips it) of a repository without hooks,
// which wait for the poll.

const commits = Number(process.env.LAKEMIRROR_BENCH_COMMITS ?? 50);
const objects = Number(process.env.LAKEMIRROR_BENCH_OBJECTS ?? 10);
const pollCommits = Number(process.env.LAKEMIRROR_BENCH_POLL_COMMITS ?? 3);
const POLL_MS = 60_000;
const env = testEnvironment();
const { source, regionB } = env;
const root = path.resolve(__dirname, '../../..');
const log = (text: string) => process.stdout.write(`${text}\n`);
const run = promisify(execFile);
const { accessKeyId, secretAccessKey } = env.config.source.lakefs;
const auth = { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey.reveal()}`).toString('base64')}` };

/** Waits until every one of `keys` has reached region B; returns when the last one landed. */
async function landed(keys: string[]): Promise<number> {
  for (;;) {
    const { missing } = await findMissingKeys(regionB.s3, regionB.bucket, keys, { concurrency: 32 });
    if (missing.length === 0) return performance.now();
    await sleep(20);
  }
}

/** Waits until the mirror's main is at `commitId` (past the poll interval and more, something is broken). */
async function moved(mirror: string, commitId: string): Promise<number> {
  const deadline = performance.now() + 2 * POLL_MS;
  while (performance.now() < deadline) {
    const head = await regionB.lakefs.getBranch(mirror, 'main').then(
      (b) => b.commit_id,
      () => undefined,
    );
    if (head === commitId) return performance.now();
    await sleep(20);
  }
  throw new Error(`mirror ${mirror} did not reach ${commitId} within ${(2 * POLL_MS) / 1000} s`);
}

/** Keys of the repository's namespace not seen before (lakeFS's action logs excluded: the mirror never needs them). */
async function newKeys(prefix: string, known: Set<string>): Promise<string[]> {
  const keys = (await collect(listKeys(source.s3, source.bucket, `${prefix}/`))).filter((k) => !known.has(k) && !k.includes('/_lakefs/actions/'));
  for (const key of keys) known.add(key);
  return keys;
}

async function createMirroredRepository(api: AppProcess, name: string) {
  const repository = uniqueName(name);
  const prefix = `mirrors/${repository}`;
  await source.lakefs.createRepository({ name: repository, storage_namespace: `s3://${source.bucket}/${prefix}`, default_branch: 'main' });
  await source.lakefs.uploadObject(repository, 'main', 'seed.txt', repository);
  await source.lakefs.commit(repository, 'main', { message: 'seed' });
  const mirror = `${repository}-m`;
  const response = await fetch(`${api.url}/service/replication/v1/repositories/${repository}/mirrors`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: mirror, region: 'region-b', storage_namespace: `s3://${regionB.bucket}/${prefix}` }),
  });
  if (response.status !== 201) throw new Error(`creating the mirror: ${response.status} ${await response.text()}`);
  return { repository, mirror, prefix, known: new Set<string>() };
}

/** Commits `count` times; returns each commit's added lag in seconds. */
async function measure(target: Awaited<ReturnType<typeof createMirroredRepository>>, count: number, label: string): Promise<number[]> {
  const lags: number[] = [];
  await newKeys(target.prefix, target.known);
  for (let i = 1; i <= count; i++) {
    await mapWithConcurrency([...Array(objects).keys()], 16, (j) =>
      source.lakefs.uploadObject(target.repository, 'main', `commit-${i}/object-${j}.txt`, `${target.repository} ${i} ${j}`),
    );
    await landed(await newKeys(target.prefix, target.known));
    const commit = await source.lakefs.commit(target.repository, 'main', { message: `commit ${i}` });
    const committed = performance.now();
    const metadata = await newKeys(target.prefix, target.known);
    const [lastLanded, branchMoved] = await Promise.all([landed(metadata), moved(target.mirror, commit.id)]);
    lags.push(Math.max(0, (branchMoved - Math.max(committed, lastLanded)) / 1000));
    if (i % 10 === 0 || i === count) log(`  ${label}: ${i}/${count} commits, last lag ${lags[lags.length - 1].toFixed(3)}s`);
  }
  return lags;
}

/** The nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const summary = (lags: number[]) =>
  `p50 ${percentile(lags, 50).toFixed(3)}s, p99 ${percentile(lags, 99).toFixed(3)}s, max ${Math.max(...lags).toFixed(3)}s over ${lags.length} commits`;

async function main(): Promise<void> {
  log(`hooks lag benchmark: ${commits} commits of ${objects} objects each, poll interval ${POLL_MS / 1000} s`);
  const schema = await migratedSchema('lm_bench');
  const settings = {
    LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
    LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
    LAKEMIRROR_SCAN_INTERVAL_MS: String(POLL_MS),
    LAKEMIRROR_ADMIN_USERS: 'admin',
  };
  const apps: AppProcess[] = [];
  const made: { repository: string; mirror: string }[] = [];
  try {
    apps.push(...(await Promise.all(['api', 'scanner', 'verifier', 'promoter'].map((app) => startAppProcess(app, settings)))));
    const api = apps[0];

    const hooked = await createMirroredRepository(api, 'bench-hooks');
    made.push(hooked);
    const cli = { ...process.env, LAKEMIRROR_API_URL: api.url, LAKECTL_SERVER_ENDPOINT_URL: source.lakefs.endpoint };
    const { stdout } = await run(path.join(root, 'bin/lakemirror'), ['hooks', hooked.repository, '--install', '--yes', '--json'], { env: cli });
    const install = JSON.parse(stdout) as { installed: { commit_id: string } };
    log(`  actions file installed on ${hooked.repository} (commit ${install.installed.commit_id.slice(0, 12)}); waiting for the mirror to follow it`);
    await moved(hooked.mirror, install.installed.commit_id);
    const hookLags = await measure(hooked, commits, 'with hooks');

    let pollLags: number[] = [];
    if (pollCommits > 0) {
      const polled = await createMirroredRepository(api, 'bench-poll');
      made.push(polled);
      log(`  without hooks (a new mirror waits for its first poll, up to ${POLL_MS / 1000} s)`);
      pollLags = await measure(polled, pollCommits, 'without hooks');
    }

    log('\nadded lag from the source commit (its objects replicated) to the mirror branch move');
    log(`  with hooks, ${POLL_MS / 1000} s poll:    ${summary(hookLags)} (goal: p50 < 1 s, p99 < 3 s)`);
    if (pollLags.length > 0) log(`  without hooks, ${POLL_MS / 1000} s poll: ${summary(pollLags)}`);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await schema.drop();
    for (const { repository, mirror } of made) {
      await regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
      await source.lakefs.deleteRepository(repository).catch(() => undefined);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
