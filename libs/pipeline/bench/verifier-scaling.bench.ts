import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient, collect } from '@lakemirror/lakefs-client';
import { createS3Client, findMissingKeys, listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { ALL_QUEUES } from '@lakemirror/queues';
import { migratedSchema } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';

// Benchmark (not a test): horizontal scaling of the verifier. One source commit of many objects
// is mirrored from scratch once per verifier count N (fresh PostgreSQL schema, queue prefix and
// mirror each time), with N verifier processes, one scanner and one promoter, each its own
// process as in production. Prints, per N, the time from "processes healthy, mirror registered"
// to "mirror branch at the source head", the throughput and its ratio to N = 1, the object-store
// requests the verification made (they should not grow with N: no chunk is checked twice), and
// where the CPU went, to explain where adding verifiers stops paying on this machine.
// LAKEMIRROR_BENCH_SCALING_OBJECTS (default 15000: with 20000 the whole benchmark took 9-11 minutes
// on 2 shared cores), LAKEMIRROR_BENCH_VERIFIERS (default "1,2,4").

const objectCount = positiveInteger('LAKEMIRROR_BENCH_SCALING_OBJECTS', '15000');
const verifierCounts = (process.env.LAKEMIRROR_BENCH_VERIFIERS ?? '1,2,4').split(',').map((n) => Number(n.trim()));
if (verifierCounts.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`LAKEMIRROR_BENCH_VERIFIERS must be positive integers separated by commas, got "${process.env.LAKEMIRROR_BENCH_VERIFIERS}"`);
const appSettings = {
  LAKEMIRROR_VERIFY_CHUNK_OBJECTS: process.env.LAKEMIRROR_VERIFY_CHUNK_OBJECTS ?? '500',
  LAKEMIRROR_VERIFY_CONCURRENCY: process.env.LAKEMIRROR_VERIFY_CONCURRENCY ?? '2',
  LAKEMIRROR_SCAN_INTERVAL_MS: '500',
  LAKEMIRROR_LOG_LEVEL: 'warn',
};
const UPLOAD_CONCURRENCY = 32;
const RUN_TIMEOUT_MS = 15 * 60_000;

const config = loadConfig();
const region = config.regions[0];
const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
const destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
const sourceS3 = createS3Client(config.source.objectStore);
const mirrorS3 = createS3Client(region.objectStore);
const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
const mirrorBucket = process.env.LAKEMIRROR_REGION_REGION_B_BUCKET as string;
const cores = os.availableParallelism();
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const log = (text: string) => process.stdout.write(`${text}\n`);

function positiveInteger(name: string, fallback: string): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${process.env[name]}"`);
  return value;
}

// ---- CPU accounting from /proc -------------------------------------------------------------

interface CpuSnapshot {
  /** utime + stime of every process, in clock ticks, with its command name. */
  processes: Map<number, { comm: string; ticks: number }>;
  /** The machine's busy and total ticks (all cores) from /proc/stat. */
  busy: number;
  total: number;
}

function cpuSnapshot(): CpuSnapshot {
  const processes = new Map<number, { comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      // Fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
      const fields = stat.slice(close + 2).split(' ');
      processes.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we read.
    }
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return { processes, busy: total - idle, total };
}

/** CPU seconds each process used between two snapshots (processes born in between count from zero). */
function cpuSecondsBetween(before: CpuSnapshot, after: CpuSnapshot): Map<number, { comm: string; seconds: number }> {
  const used = new Map<number, { comm: string; seconds: number }>();
  for (const [pid, { comm, ticks }] of after.processes) {
    const previous = before.processes.get(pid);
    const delta = previous && previous.comm === comm ? ticks - previous.ticks : ticks;
    if (delta > 0) used.set(pid, { comm, seconds: delta / ticksPerSecond });
  }
  return used;
}

/** Groups CPU seconds: our app processes by name, the environment's servers by kind, everything else as "other". */
function cpuBreakdown(used: Map<number, { comm: string; seconds: number }>, apps: AppProcess[], names: string[]) {
  const byPid = new Map(apps.map((a, i) => [a.pid, names[i]]));
  const groups = new Map<string, number>();
  const others = new Map<string, number>();
  const add = (group: string, seconds: number) => groups.set(group, (groups.get(group) ?? 0) + seconds);
  for (const [pid, { comm, seconds }] of used) {
    const app = byPid.get(pid);
    if (app) add(app, seconds);
    else if (pid === process.pid) add('this benchmark', seconds);
    else if (comm.startsWith('postgres')) add('PostgreSQL', seconds);
    else if (comm.startsWith('redis')) add('Redis', seconds);
    else if (comm === 'minio') add('MinIO (2)', seconds);
    else if (comm === 'lakefs') add('lakeFS (2)', seconds);
    else {
      add('other processes', seconds);
      others.set(comm, (others.get(comm) ?? 0) + seconds);
    }
  }
  return { groups, others };
}

// ---- the source commit ---------------------------------------------------------------------

async function upload(repo: string, count: number): Promise<void> {
  const started = performance.now();
  let done = 0;
  await mapWithConcurrency([...Array(count).keys()], UPLOAD_CONCURRENCY, async (i) => {
    await source.uploadObject(repo, 'main', `table/part=${String(i % 100).padStart(3, '0')}/object-${String(i).padStart(7, '0')}.parquet`, `scaling ${i}`);
    if (++done % 5_000 === 0 || done === count) log(`    uploaded ${done}/${count} (${(done / ((performance.now() - started) / 1000)).toFixed(0)} objects/s)`);
  });
}

async function waitForReplication(keys: string[]): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let lastReport = 0;
  for (;;) {
    const { missing } = await findMissingKeys(mirrorS3, mirrorBucket, keys, { concurrency: 32 });
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing.length} of ${keys.length} objects did not reach region B in time`);
    if (Date.now() - lastReport > 10_000) {
      log(`    waiting for replication to region B: ${missing.length} of ${keys.length} objects still missing`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

interface SourceCommit {
  repo: string;
  prefix: string;
  head: string;
}

async function prepare(repo: string): Promise<SourceCommit> {
  const prefix = `bench/${repo}`;
  const started = performance.now();
  await source.createRepository({ name: repo, storage_namespace: `s3://${sourceBucket}/${prefix}`, default_branch: 'main' });
  log(`preparing ${repo}: ${objectCount} uploads, ${UPLOAD_CONCURRENCY} at a time`);
  await upload(repo, objectCount);
  const commit = await source.commit(repo, 'main', { message: `${objectCount} objects` });
  const keys = await collect(listKeys(sourceS3, sourceBucket, `${prefix}/`));
  await waitForReplication(keys);
  log(
    `  committed ${commit.id.slice(0, 12)} and replicated its ${keys.length} namespace objects (data and metadata) to region B in ${((performance.now() - started) / 1000).toFixed(0)}s`,
  );
  return { repo, prefix, head: commit.id };
}

// ---- one run with N verifiers --------------------------------------------------------------

interface RunResult {
  verifiers: number;
  seconds: number;
  requests: number;
  chunks: number;
  objectsLookedUp: number;
  /** Seconds from the timer's start to the commit's discovery, to its last chunk checked, to the branch moving. */
  phases: { scan: number; verify: number; promote: number };
  cpu: Map<string, number>;
  verifierCpu: number[];
  busyPercent: number;
  /** CPU seconds of this benchmark's processes and the environment's servers (lakemirror's whole stack). */
  stackSeconds: number;
  /** CPU seconds the machine spent on anything else (other processes, processes that ended during the run, interrupts). */
  outsideSeconds: number;
}

async function run(commit: SourceCommit, verifiers: number): Promise<RunResult> {
  log(`\nN = ${verifiers} verifier process(es)`);
  const mirror = `${commit.repo}-v${verifiers}`;
  const namespace = `s3://${mirrorBucket}/${commit.prefix}`;
  const schema = await migratedSchema('lm_bench');
  const queuePrefix = uniqueName('lmq');
  const env = { ...appSettings, LAKEMIRROR_DATABASE_SCHEMA: schema.schema, LAKEMIRROR_QUEUE_PREFIX: queuePrefix };
  const names = ['scanner', 'promoter', ...Array.from({ length: verifiers }, (_, i) => `verifier#${i + 1}`)];
  const apps: AppProcess[] = [];
  const appNames: string[] = [];
  try {
    await destination.createRepository({ name: mirror, storage_namespace: namespace, default_branch: 'main', read_only: true }, { bare: true });
    const starting = performance.now();
    // One at a time, with one retry: a node process compiling its sources on 2 busy cores may need most of its 30 s health timeout.
    for (const name of names) {
      const app = await startAppProcess(name.split('#')[0], env).catch(() => startAppProcess(name.split('#')[0], env));
      apps.push(app);
      appNames.push(name);
    }
    log(`  ${names.length} processes healthy after ${((performance.now() - starting) / 1000).toFixed(1)}s; registering ${mirror}`);

    const before = cpuSnapshot();
    const startedAt = Date.now();
    const started = performance.now();
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, $3, $4, 'active', 'bench')`,
      [mirror, commit.repo, region.name, namespace],
    );
    await waitForBranch(mirror, commit.head, apps, appNames);
    const seconds = (performance.now() - started) / 1000;
    const after = cpuSnapshot();

    const used = cpuSecondsBetween(before, after);
    const { groups: cpu, others } = cpuBreakdown(used, apps, appNames);
    const verifierCpu = apps.filter((_, i) => appNames[i].startsWith('verifier')).map((a) => used.get(a.pid)?.seconds ?? 0);
    const busyPercent = (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total);
    const machineSeconds = (after.busy - before.busy) / ticksPerSecond;
    const stackSeconds = [...cpu.entries()].filter(([group]) => group !== 'other processes').reduce((a, [, v]) => a + v, 0);
    const cost = await costOf(schema.db, mirror, commit.head, startedAt);
    log(
      `  mirrored in ${seconds.toFixed(2)}s (scan ${cost.phases.scan.toFixed(2)}s, plan + chunks ${cost.phases.verify.toFixed(2)}s, promote ${cost.phases.promote.toFixed(2)}s): ` +
        `${cost.requests} object-store requests, ${cost.chunks} chunks, ${cost.objectsLookedUp} objects looked up; ` +
        `machine CPU ${busyPercent.toFixed(0)}% busy, of which lakemirror's stack ${stackSeconds.toFixed(1)} CPU s (${(stackSeconds / seconds).toFixed(2)} of ${cores} cores), everything else ${(machineSeconds - stackSeconds).toFixed(1)} CPU s`,
    );
    const otherTop = [...others.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([comm, s]) => `${comm} ${s.toFixed(1)}`)
      .join(', ');
    log(
      `  CPU seconds: ${[...cpu.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([group, s]) => `${group} ${s.toFixed(1)}`)
        .join(', ')}${otherTop ? ` (other processes, not this benchmark's: ${otherTop}, ...)` : ''}`,
    );
    return { verifiers, seconds, ...cost, cpu, verifierCpu, busyPercent, stackSeconds, outsideSeconds: Math.max(0, machineSeconds - stackSeconds) };
  } finally {
    await Promise.all(apps.map((a) => a.stop().catch(() => undefined)));
    for (const name of ALL_QUEUES) {
      const queue = new Queue(name, { connection: { url: config.redisUrl }, prefix: queuePrefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    await schema.drop();
    await destination.deleteRepository(mirror, { force: true }).catch(() => undefined);
  }
}

async function waitForBranch(mirror: string, commitId: string, apps: AppProcess[], names: string[]): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const head = await destination.getBranch(mirror, 'main').then(
      (b) => b.commit_id,
      () => undefined,
    );
    if (head === commitId) return;
    const dead = apps.findIndex((a) => !existsSync(`/proc/${a.pid}`));
    if (dead >= 0) throw new Error(`${names[dead]} exited during the run; its output: ${apps[dead].output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the mirror branch did not reach ${commitId} in ${RUN_TIMEOUT_MS / 60_000} minutes`);
    await sleep(100);
  }
}

type Rows = Record<string, string | null>[];

async function costOf(db: { query: (sql: string, params: unknown[]) => Promise<Rows> }, mirror: string, head: string, startedAt: number) {
  const [totals] = await db.query(
    `SELECT (SELECT coalesce(sum(planning_requests), 0) FROM mirror_commits WHERE mirror_id = $1) + coalesce(sum(requests), 0) AS requests,
            count(*) AS chunks, coalesce(sum(objects), 0) - coalesce(sum(skipped_objects), 0) AS looked_up
     FROM commit_chunks WHERE mirror_id = $1`,
    [mirror],
  );
  const [times] = await db.query(
    `SELECT extract(epoch FROM c.discovered_at) * 1000 AS discovered, extract(epoch FROM c.recorded_at) * 1000 AS recorded,
            (SELECT extract(epoch FROM max(checked_at)) * 1000 FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2) AS last_chunk
     FROM mirror_commits c WHERE c.mirror_id = $1 AND c.commit_id = $2`,
    [mirror, head],
  );
  const end = Date.now();
  const discovered = Number(times?.discovered ?? startedAt);
  const lastChunk = Number(times?.last_chunk ?? discovered);
  return {
    requests: Number(totals.requests),
    chunks: Number(totals.chunks),
    objectsLookedUp: Number(totals.looked_up),
    phases: { scan: (discovered - startedAt) / 1000, verify: (lastChunk - discovered) / 1000, promote: (end - lastChunk) / 1000 },
  };
}

// ---- report --------------------------------------------------------------------------------

function report(results: RunResult[]): void {
  const base = results.find((r) => r.verifiers === 1) ?? results[0];
  const rate = (r: RunResult) => objectCount / r.seconds;
  const speedup = (r: RunResult) => base.seconds / r.seconds;
  const perAdded = (r: RunResult) => (r.verifiers === base.verifiers ? undefined : (speedup(r) - 1) / (r.verifiers - base.verifiers));
  const verifierSeconds = (r: RunResult) => r.verifierCpu.reduce((a, b) => a + b, 0);
  const stackCores = (r: RunResult) => r.stackSeconds / r.seconds;
  const header = [
    'verifiers',
    'seconds',
    'objects/s',
    `speed-up vs ${base.verifiers}`,
    'per added verifier',
    'requests',
    'chunks',
    'verifier CPU s (each)',
    'stack CPU s',
    'stack cores',
    'machine busy',
  ];
  const rows = results.map((r) => [
    String(r.verifiers),
    r.seconds.toFixed(2),
    rate(r).toFixed(0),
    `${speedup(r).toFixed(2)}x`,
    perAdded(r) === undefined ? '-' : (perAdded(r) as number).toFixed(2),
    String(r.requests),
    String(r.chunks),
    `${verifierSeconds(r).toFixed(1)} (${r.verifierCpu.map((s) => s.toFixed(1)).join(' ')})`,
    r.stackSeconds.toFixed(1),
    stackCores(r).toFixed(2),
    `${r.busyPercent.toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
  log(
    `\nsummary: ${objectCount} objects in one commit, chunks of ${appSettings.LAKEMIRROR_VERIFY_CHUNK_OBJECTS} entries, ${appSettings.LAKEMIRROR_VERIFY_CONCURRENCY} chunk jobs per verifier`,
  );
  log(line(header));
  for (const row of rows) log(line(row));
  log(
    `  (stack: the verifiers, scanner, promoter, PostgreSQL, Redis, both MinIO, both lakeFS and this benchmark; stack cores: its CPU seconds / wall seconds)`,
  );

  const requests = results.map((r) => r.requests);
  const spread = (100 * (Math.max(...requests) - Math.min(...requests))) / Math.max(1, Math.min(...requests));
  const chunks = new Set(results.map((r) => r.chunks));
  log(
    `\n  requests: ${requests.join(', ')} for N = ${results.map((r) => r.verifiers).join(', ')} (spread ${spread.toFixed(1)}%) in ${[...chunks].join('/')} chunks: ` +
      (spread <= 5 && chunks.size === 1
        ? 'constant with N, every chunk checked once: adding verifiers duplicates no work.'
        : 'NOT constant with N: look for chunks checked twice or retried.'),
  );

  const [one, five, fifteen] = os.loadavg();
  const minStack = Math.min(...results.map((r) => r.stackSeconds));
  const maxStack = Math.max(...results.map((r) => r.stackSeconds));
  const floor = minStack / cores;
  const minio = results.map((r) => r.cpu.get('MinIO (2)') ?? 0);
  const flat = results.find((r) => (perAdded(r) ?? 1) < 0.5);
  const outsideShare = Math.max(...results.map((r) => r.outsideSeconds / Math.max(0.01, r.outsideSeconds + r.stackSeconds)));
  log(
    `  flattening: this machine has ${cores} cores (nproc), load average ${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} at the end; ` +
      `N verifier processes + scanner + promoter + PostgreSQL + Redis + 2 MinIO + 2 lakeFS all share those ${cores} cores. ` +
      `The stack needed ${minStack.toFixed(0)}-${maxStack.toFixed(0)} CPU seconds per run whatever N (MinIO ${Math.min(...minio).toFixed(0)}-${Math.max(...minio).toFixed(0)} of them, ` +
      `the verifiers ${Math.min(...results.map(verifierSeconds)).toFixed(0)}-${Math.max(...results.map(verifierSeconds)).toFixed(0)}), ` +
      `so on ${cores} cores no N can mirror this commit in less than ~${floor.toFixed(0)}s, i.e. at most ~${(base.seconds / floor).toFixed(1)}x the N = ${base.verifiers} speed. ` +
      `With N = ${base.verifiers} the stack used ${stackCores(base).toFixed(2)} cores (machine ${base.busyPercent.toFixed(0)}% busy): ` +
      (base.busyPercent < 85
        ? `the rest was idle, since ${appSettings.LAKEMIRROR_VERIFY_CONCURRENCY} chunk jobs in flight, each a chain of object-store requests, are latency-bound; added verifiers fill that idle CPU; `
        : stackCores(base) < 0.75 * cores
          ? `the rest went to other work on the machine, part of which added verifiers (more runnable processes) take over; `
          : `close to all of it, so added verifiers have little idle CPU to fill; `) +
      (flat
        ? `the gain per added verifier falls below 0.5 at N = ${flat.verifiers}, where the stack used ${stackCores(flat).toFixed(2)} of ${cores} cores (machine ${flat.busyPercent.toFixed(0)}% busy): ` +
          (stackCores(flat) >= 0.6 * cores || flat.busyPercent >= 90
            ? `the cores are saturated, so an added verifier only takes CPU from MinIO answering its requests, and the curve flattens towards the CPU floor. `
            : `the cores were not saturated by the stack, so the limit there is latency or the serial part (scan, planning, promotion), not CPU. `)
        : `the gain per added verifier stayed at or above 0.5 for every N measured. `) +
      (outsideShare > 0.25
        ? `Caution: up to ${(100 * outsideShare).toFixed(0)}% of the machine's CPU during a run went to work outside this benchmark; more processes win a bigger share of contended cores, which flatters the larger N.`
        : ''),
  );
}

async function main(): Promise<void> {
  log(
    `verifier scaling benchmark: ${objectCount} objects, N = ${verifierCounts.join(', ')} verifier processes, ${cores} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const repo = uniqueName('bench-scaling');
  try {
    const commit = await prepare(repo);
    const results: RunResult[] = [];
    for (const n of verifierCounts) results.push(await run(commit, n));
    report(results);
  } finally {
    await source.deleteRepository(repo).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
