import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapWithConcurrency, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { holdBack, migratedSchema, release, testEnvironment } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';

// Benchmark (not a test): how soon the mirror branch moves once a late object arrives. The whole
// pipeline runs as its processes (API, scanner, verifier, promoter) with the default retry backoff
// (LAKEMIRROR_RETRY_*: 0.25-0.5 s after the first failure, doubling up to 30 s). Each sample is a
// commit on a branch of its own whose one new object is held back from region B; once its check
// has found the object missing, the object stays away for a random 1-10 s (as replication lag
// would), then lands in region B. Measured: from its landing to the mirror branch's move.
// LAKEMIRROR_BENCH_LATE_OBJECTS samples (default 50) with the API on the port region B's MinIO
// sends its object-created events to (scripts/env-up.sh), then as many with no API there (the
// backoff alone); LAKEMIRROR_BENCH_CONCURRENCY samples at once (default 2: on a loaded machine more
// at once measure the machine's queueing more than the pipeline).

const samples = Number(process.env.LAKEMIRROR_BENCH_LATE_OBJECTS ?? 50);
const concurrency = Number(process.env.LAKEMIRROR_BENCH_CONCURRENCY ?? 2);
const eventsPort = Number(process.env.LAKEMIRROR_ENV_OBJECT_EVENTS_PORT ?? 8080);
const MOVE_TIMEOUT_MS = 120_000;
const env = testEnvironment();
const { source, regionB } = env;
const log = (text: string) => process.stdout.write(`${text}\n`);
const { accessKeyId, secretAccessKey } = env.config.source.lakefs;
const auth = { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey.reveal()}`).toString('base64')}` };

type Schema = Awaited<ReturnType<typeof migratedSchema>>;
interface Target {
  repository: string;
  mirror: string;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = MOVE_TIMEOUT_MS): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(20);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

const mirrorHead = (mirror: string, branch: string) =>
  regionB.lakefs.getBranch(mirror, branch).then(
    (b) => b.commit_id,
    () => undefined,
  );

async function createMirroredRepository(api: AppProcess): Promise<Target> {
  const repository = uniqueName('bench-late');
  const prefix = `mirrors/${repository}`;
  await source.lakefs.createRepository({ name: repository, storage_namespace: `s3://${source.bucket}/${prefix}`, default_branch: 'main' });
  await source.lakefs.uploadObject(repository, 'main', 'seed.txt', repository);
  const seed = await source.lakefs.commit(repository, 'main', { message: 'seed' });
  const mirror = `${repository}-m`;
  const response = await fetch(`${api.url}/service/replication/v1/repositories/${repository}/mirrors`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: mirror, region: 'region-b', storage_namespace: `s3://${regionB.bucket}/${prefix}` }),
  });
  if (response.status !== 201) throw new Error(`creating the mirror: ${response.status} ${await response.text()}`);
  await until('the mirror to follow main', async () => ((await mirrorHead(mirror, 'main')) === seed.id ? true : undefined));
  return { repository, mirror };
}

/** One late object: held back, found missing, away 1-10 s more, released; returns the seconds from its landing to the branch's move. */
async function lateObject(schema: Schema, target: Target, label: string, i: number): Promise<number> {
  const branch = `${label}-${i}`;
  const { repository, mirror } = target;
  const base = await source.lakefs.getBranch(repository, 'main');
  await source.lakefs.createBranch(repository, branch, base.commit_id);
  await until(`mirror branch ${branch}`, async () => ((await mirrorHead(mirror, branch)) === base.commit_id ? true : undefined));
  await source.lakefs.uploadObject(repository, branch, 'late.bin', `${repository} ${branch}`);
  const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
  const address = (await source.lakefs.statObject(repository, branch, 'late.bin')).physical_address;
  const key = `${namespace.prefix}/${relativeAddressIn(namespace, address)}`;
  await holdBack(regionB.s3, { bucket: regionB.bucket, key });
  const commit = await source.lakefs.commit(repository, branch, { message: `late object ${i}` });
  await until(`the check of ${branch} to miss its object`, async () => {
    const rows: unknown[] = await schema.db.query('SELECT 1 FROM missing_objects WHERE mirror_id = $1 AND key = $2', [mirror, key]);
    return rows.length > 0 ? true : undefined;
  });
  await sleep(1_000 + Math.random() * 9_000);
  await release(source.s3, { bucket: source.bucket, key }, regionB.s3, { bucket: regionB.bucket, key });
  const landed = performance.now();
  await until(`mirror branch ${branch} to move`, async () => ((await mirrorHead(mirror, branch)) === commit.id ? true : undefined));
  return (performance.now() - landed) / 1000;
}

async function measure(schema: Schema, target: Target, label: string): Promise<number[]> {
  const lags: number[] = [];
  await mapWithConcurrency([...Array(samples).keys()], concurrency, async (i) => {
    lags.push(await lateObject(schema, target, label, i));
    if (lags.length % 10 === 0) log(`  ${label}: ${lags.length}/${samples} late objects`);
  });
  return lags;
}

/** The nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const summary = (lags: number[]) =>
  `p50 ${percentile(lags, 50).toFixed(3)}s, p99 ${percentile(lags, 99).toFixed(3)}s, max ${Math.max(...lags).toFixed(3)}s over ${lags.length} late objects`;

async function main(): Promise<void> {
  if (!process.env.LAKEMIRROR_OBJECT_EVENTS_TOKEN) throw new Error('LAKEMIRROR_OBJECT_EVENTS_TOKEN is not set: run scripts/env-up.sh');
  log(`late objects benchmark: ${samples} late objects with object-created events, ${samples} without; ${concurrency} at once`);
  const schema = await migratedSchema('lm_bench');
  const settings = {
    LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
    LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
    LAKEMIRROR_SCAN_INTERVAL_MS: '300',
    LAKEMIRROR_ADMIN_USERS: 'admin',
  };
  const apps: AppProcess[] = [];
  let api: AppProcess | undefined;
  let target: Target | undefined;
  try {
    const started = await Promise.all([
      startAppProcess('api', settings, { port: eventsPort }),
      ...['scanner', 'verifier', 'promoter'].map((app) => startAppProcess(app, settings)),
    ]);
    [api] = started;
    apps.push(...started.slice(1));
    target = await createMirroredRepository(api);
    const withEvents = await measure(schema, target, 'events');
    // No API on the webhook's port any more: MinIO's events go nowhere, the backoff alone re-checks.
    await api.stop();
    api = undefined;
    const backoffOnly = await measure(schema, target, 'backoff');

    log('\nfrom the late object landing in region B to the mirror branch move');
    log(`  with object-created events: ${summary(withEvents)} (goal: p50 < 1 s)`);
    log(`  backoff only:               ${summary(backoffOnly)}`);
    log(
      `  backoff only / with events: p50 ${(percentile(backoffOnly, 50) / percentile(withEvents, 50)).toFixed(1)}x, p99 ${(percentile(backoffOnly, 99) / percentile(withEvents, 99)).toFixed(1)}x`,
    );
  } finally {
    await Promise.all([...apps, ...(api ? [api] : [])].map((app) => app.stop()));
    await schema.drop();
    if (target) {
      await regionB.lakefs.deleteRepository(target.mirror, { force: true }).catch(() => undefined);
      await source.lakefs.deleteRepository(target.repository).catch(() => undefined);
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
