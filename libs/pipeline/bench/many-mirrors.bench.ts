import { readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse, Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { EnvReader } from '@lakemirror/config';
import { collect } from '@lakemirror/lakefs-client';
import { findMissingKeys, listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';
import { readPipelineSettings } from '../src';

// Benchmark (not a test): many idle mirrors. LAKEMIRROR_BENCH_SOURCES source repositories
// (default 20) with LAKEMIRROR_BENCH_BRANCHES branches each (default 10), each mirrored
// LAKEMIRROR_BENCH_MIRRORS_PER_SOURCE times (default 10) into region B through the API, the whole
// pipeline running as its processes with a 2 s scan interval. Once every mirror is up to date it
// measures, over LAKEMIRROR_BENCH_IDLE_SECONDS idle seconds (default 60): the scanner's lakeFS
// requests per interval (through a counting proxy in front of the lakeFS servers it talks to),
// the scanner process's CPU (/proc/<pid>/stat); then the latency of LAKEMIRROR_BENCH_API_CALLS
// status and list calls (default 500); then one commit on every source at once and the time
// until every mirror is up to date. Region B holds only the source's keys (replicated there by
// the environment): each mirror's namespace gets a copy of them, as replication into it would.

const SOURCES = Number(process.env.LAKEMIRROR_BENCH_SOURCES ?? 20);
const BRANCHES = Number(process.env.LAKEMIRROR_BENCH_BRANCHES ?? 10);
const PER_SOURCE = Number(process.env.LAKEMIRROR_BENCH_MIRRORS_PER_SOURCE ?? 10);
const IDLE_SECONDS = Number(process.env.LAKEMIRROR_BENCH_IDLE_SECONDS ?? 60);
const API_CALLS = Number(process.env.LAKEMIRROR_BENCH_API_CALLS ?? 500);
/** Whether the mirrors follow tags (the API's default): then each source's tags are listed too, once per tag interval. */
const MIRROR_TAGS = (process.env.LAKEMIRROR_BENCH_MIRROR_TAGS ?? 'true') === 'true';
const INTERVAL_MS = 2_000;
const env = testEnvironment();
const { source, regionB } = env;
const log = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (from: number, to = performance.now()) => (to - from) / 1000;
const { accessKeyId, secretAccessKey } = env.config.source.lakefs;
const auth = { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey.reveal()}`).toString('base64')}` };

interface Source {
  repository: string;
  prefix: string;
  mirrors: string[];
  /** Keys of the source's namespace already copied into every mirror's. */
  copied: Set<string>;
}

/** An HTTP proxy that counts requests by method and path shape (repository and ref names left out). */
async function countingProxy(target: string) {
  const counts = new Map<string, number>();
  const agent = new Agent({ keepAlive: true });
  const base = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '')
      .split('?')[0]
      .replace(/\/repositories\/[^/]+/, '/repositories/{repo}')
      .replace(/\/(branches|tags|commits|refs)\/.+$/, '/$1/{id}');
    const kind = `${req.method} ${path}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const upstream = request({ host: base.hostname, port: base.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}

/** CPU time (user + system) of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (CLK_TCK 100)
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const verdict = (measured: number, goal: number) => `ratio ${(measured / goal).toFixed(2)} ${measured <= goal ? '(met)' : '(NOT met)'}`;

async function api(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}/service/replication/v1${path}`, {
    method,
    headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function createSource(): Promise<Source> {
  const repository = uniqueName('mm');
  const prefix = `mirrors/${repository}`;
  await source.lakefs.createRepository({ name: repository, storage_namespace: `s3://${source.bucket}/${prefix}`, default_branch: 'main' });
  await source.lakefs.uploadObject(repository, 'main', 'seed.txt', repository);
  await source.lakefs.commit(repository, 'main', { message: 'seed' });
  for (let b = 1; b < BRANCHES; b++) await source.lakefs.createBranch(repository, `branch-${b}`, 'main');
  const mirrors = [...Array(PER_SOURCE).keys()].map((i) => `${repository}-m${i}`);
  return { repository, prefix, mirrors, copied: new Set() };
}

/** Copies the source's keys not copied yet (once replicated to region B) into every mirror's namespace. */
async function copyToMirrors(s: Source): Promise<void> {
  const keys = (await collect(listKeys(source.s3, source.bucket, `${s.prefix}/`))).filter((k) => !s.copied.has(k) && !k.includes('/_lakefs/actions/'));
  for (;;) {
    const { missing } = await findMissingKeys(regionB.s3, regionB.bucket, keys, { concurrency: 16 });
    if (missing.length === 0) break;
    await sleep(50);
  }
  const copies = s.mirrors.flatMap((mirror) => keys.map((key) => ({ key, to: `mirrors/${mirror}/${key.slice(s.prefix.length + 1)}` })));
  await mapWithConcurrency(copies, 16, ({ key, to }) =>
    regionB.s3.send(new CopyObjectCommand({ Bucket: regionB.bucket, Key: to, CopySource: `${regionB.bucket}/${encodeURI(key)}` })),
  );
  for (const key of keys) s.copied.add(key);
}

/** Mirrors not yet up to date: some branch of theirs whose recorded mirror head is not the source's head (from PostgreSQL, the truth). */
async function behind(db: { query: (sql: string, params?: unknown[]) => Promise<unknown[]> }, heads: Map<string, Map<string, string>>, sources: Source[]) {
  const rows = (await db.query(`SELECT mirror_id, branch, mirrored_head FROM branch_states`)) as {
    mirror_id: string;
    branch: string;
    mirrored_head: string | null;
  }[];
  const mirrored = new Map(rows.map((r) => [`${r.mirror_id}/${r.branch}`, r.mirrored_head]));
  let count = 0;
  for (const s of sources) {
    const sourceHeads = heads.get(s.repository) as Map<string, string>;
    for (const mirror of s.mirrors) if ([...sourceHeads].some(([branch, head]) => mirrored.get(`${mirror}/${branch}`) !== head)) count++;
  }
  return count;
}

async function sourceHeads(sources: Source[]): Promise<Map<string, Map<string, string>>> {
  const heads = new Map<string, Map<string, string>>();
  for (const s of sources) heads.set(s.repository, new Map((await collect(source.lakefs.listBranches(s.repository))).map((b) => [b.id, b.commit_id])));
  return heads;
}

async function waitUpToDate(db: Parameters<typeof behind>[0], heads: Map<string, Map<string, string>>, sources: Source[], label: string): Promise<number> {
  let last = -1;
  let lastReport = performance.now();
  for (;;) {
    const count = await behind(db, heads, sources);
    if (count === 0) return performance.now();
    if (count !== last && performance.now() - lastReport > 10_000) {
      log(`    ${label}: ${count} mirrors not up to date yet`);
      lastReport = performance.now();
      last = count;
    }
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const total = SOURCES * PER_SOURCE;
  log(
    `many-mirrors benchmark: ${total} mirrors of ${SOURCES} source repositories with ${BRANCHES} branches each, scan interval ${INTERVAL_MS} ms, mirrors follow tags: ${MIRROR_TAGS} (tags listed every ${readPipelineSettings(new EnvReader(process.env)).tagScanIntervalMs} ms)`,
  );
  const schema = await migratedSchema('lm_bench');
  const sourceProxy = await countingProxy(source.lakefs.endpoint);
  const destinationProxy = await countingProxy(regionB.lakefs.endpoint);
  const settings = {
    LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
    LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
    LAKEMIRROR_SCAN_INTERVAL_MS: String(INTERVAL_MS),
    LAKEMIRROR_ADMIN_USERS: 'admin',
    LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE: '100000',
  };
  const apps: AppProcess[] = [];
  const sources: Source[] = [];
  try {
    const started = performance.now();
    apps.push(
      ...(await Promise.all([
        startAppProcess('api', settings),
        startAppProcess('scanner', {
          ...settings,
          LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: sourceProxy.url,
          LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT: destinationProxy.url,
          // e.g. "--cpu-prof --cpu-prof-dir=/tmp/scanner-profile" to see where the scanner's CPU goes.
          NODE_OPTIONS: process.env.LAKEMIRROR_BENCH_SCANNER_NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? '',
        }),
        startAppProcess('verifier', settings),
        startAppProcess('promoter', settings),
      ])),
    );
    const [apiApp, scanner] = apps;
    log(`  apps started in ${seconds(started).toFixed(1)}s`);

    let phase = performance.now();
    sources.push(...(await mapWithConcurrency([...Array(SOURCES).keys()], 4, () => createSource())));
    log(`  ${SOURCES} source repositories with ${BRANCHES} branches each created in ${seconds(phase).toFixed(1)}s`);

    phase = performance.now();
    await mapWithConcurrency(
      sources.flatMap((s) => s.mirrors.map((mirror) => ({ s, mirror }))),
      8,
      async ({ s, mirror }) => {
        const response = await api(apiApp.url, 'POST', `/repositories/${s.repository}/mirrors`, {
          name: mirror,
          region: 'region-b',
          storage_namespace: `s3://${regionB.bucket}/mirrors/${mirror}`,
          mirror_tags: MIRROR_TAGS,
        });
        if (response.status !== 201) throw new Error(`creating mirror ${mirror}: ${response.status} ${await response.text()}`);
      },
    );
    log(`  ${total} mirrors created through the API in ${seconds(phase).toFixed(1)}s`);

    phase = performance.now();
    await mapWithConcurrency(sources, 4, copyToMirrors);
    log(`  source keys copied into the ${total} mirror namespaces of region B in ${seconds(phase).toFixed(1)}s`);

    phase = performance.now();
    let heads = await sourceHeads(sources);
    await waitUpToDate(schema.db, heads, sources, 'initial mirroring');
    log(`  every mirror up to date (initial mirroring) ${seconds(phase).toFixed(1)}s later; setup took ${seconds(started).toFixed(1)}s in all`);

    // Idle: let in-flight work (promotions, reconciliations) settle for two intervals, then measure.
    await sleep(2 * INTERVAL_MS);
    sourceProxy.counts.clear();
    destinationProxy.counts.clear();
    const cpuBefore = cpuSeconds(scanner.pid);
    const idleStart = performance.now();
    await sleep(IDLE_SECONDS * 1000);
    const idleSeconds = seconds(idleStart);
    const cpu = cpuSeconds(scanner.pid) - cpuBefore;
    const intervals = (idleSeconds * 1000) / INTERVAL_MS;
    const sourceCalls = sourceProxy.total();
    const destinationCalls = destinationProxy.total();
    const perInterval = (sourceCalls + destinationCalls) / intervals;
    const listings = (pattern: RegExp) => [...sourceProxy.counts].filter(([kind]) => pattern.test(kind)).reduce((sum, [, n]) => sum + n, 0);
    const perSource = (n: number) => (n / intervals / SOURCES).toFixed(2);
    const cpuPercent = (100 * cpu) / idleSeconds;
    log(`\nidle, ${idleSeconds.toFixed(1)} s (${intervals.toFixed(1)} scan intervals)`);
    log(`  scanner requests to the source lakeFS by kind: ${JSON.stringify(Object.fromEntries(sourceProxy.counts))}`);
    log(`  scanner requests to region B's lakeFS by kind: ${JSON.stringify(Object.fromEntries(destinationProxy.counts))}`);
    log(
      `  lakeFS calls per scan interval: ${perInterval.toFixed(1)} (${(perInterval / SOURCES).toFixed(2)} per source repository: ${perSource(listings(/^GET .*\/branches$/))} branch listings, ${perSource(listings(/^GET .*\/tags$/))} tag listings; mirrors follow tags: ${MIRROR_TAGS}); goal ${SOURCES} (one per source repository): ${verdict(perInterval, SOURCES)}`,
    );
    log(`  scanner CPU: ${cpuPercent.toFixed(2)}% of one core (${cpu.toFixed(2)} s CPU in ${idleSeconds.toFixed(1)} s); goal < 5%: ${verdict(cpuPercent, 5)}`);

    // Latency of status and list calls, one at a time, spread over the mirrors and sources.
    const statusMs: number[] = [];
    const listMs: number[] = [];
    for (let i = 0; i < API_CALLS; i++) {
      const s = sources[i % SOURCES];
      const mirror = s.mirrors[Math.floor(i / SOURCES) % PER_SOURCE];
      const isStatus = i % 2 === 0;
      const t = performance.now();
      const response = await api(
        apiApp.url,
        'GET',
        isStatus ? `/repositories/${s.repository}/mirrors/${mirror}/status` : `/repositories/${s.repository}/mirrors`,
      );
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${isStatus ? 'status' : 'list'} answered ${response.status}`);
      (isStatus ? statusMs : listMs).push(performance.now() - t);
    }
    const statusP99 = percentile(statusMs, 99);
    const listP99 = percentile(listMs, 99);
    log(`\nAPI latency over ${API_CALLS} calls (one at a time)`);
    log(
      `  status: p50 ${percentile(statusMs, 50).toFixed(1)} ms, p99 ${statusP99.toFixed(1)} ms over ${statusMs.length} calls; goal p99 < 50 ms: ${verdict(statusP99, 50)}`,
    );
    log(
      `  list:   p50 ${percentile(listMs, 50).toFixed(1)} ms, p99 ${listP99.toFixed(1)} ms over ${listMs.length} calls; goal p99 < 50 ms: ${verdict(listP99, 50)}`,
    );

    // One commit on every source at once; its data already in every mirror's namespace, as replication would have it.
    await mapWithConcurrency(sources, 8, (s) => source.lakefs.uploadObject(s.repository, 'main', 'burst.txt', `${s.repository} burst`));
    await mapWithConcurrency(sources, 4, copyToMirrors);
    const committedAt = performance.now();
    await Promise.all(sources.map((s) => source.lakefs.commit(s.repository, 'main', { message: 'burst' })));
    const committed = seconds(committedAt);
    heads = await sourceHeads(sources);
    const upToDate = waitUpToDate(schema.db, heads, sources, 'after the commits');
    await mapWithConcurrency(sources, 4, copyToMirrors);
    const landed = seconds(committedAt);
    const done = seconds(committedAt, await upToDate);
    log(`\none commit on each of the ${SOURCES} source repositories at once (committed within ${committed.toFixed(2)} s)`);
    log(`  every one of the ${total} mirrors up to date ${done.toFixed(2)} s after the commits started`);
    log(
      `  (their new metadata was in every mirror namespace ${landed.toFixed(2)} s after the commits started; the pipeline's share: ${(done - landed).toFixed(2)} s)`,
    );
  } finally {
    sourceProxy.close();
    destinationProxy.close();
    await Promise.all(apps.map((app) => app.stop()));
    const cleanup = performance.now();
    await mapWithConcurrency(
      sources.flatMap((s) => s.mirrors),
      8,
      (mirror) => regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined),
    );
    await mapWithConcurrency(sources, 8, (s) => source.lakefs.deleteRepository(s.repository).catch(() => undefined));
    await schema.drop();
    log(`  cleaned up (repositories deleted) in ${seconds(cleanup).toFixed(1)}s`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
