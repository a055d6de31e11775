import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '@lakemirror/config';
import { localBuckets } from '@lakemirror/testing';
import { performance } from 'node:perf_hooks';
import { createS3Client, listKeysPage, mapWithConcurrency } from '../src';

// Benchmark (not a test): reading LIST pages for their keys (listKeysPage, what the verifier and
// the benchmarks' floor do) against the AWS SDK's own parse of the same pages (ListObjectsV2Command:
// a string of the whole body, then an object per key). One sequential listing of K keys
// (LAKEMIRROR_BENCH_LIST_KEYS, default 20,000) in region B's MinIO, written once and kept under
// bench/list-pages-K/; the two readers alternate for LAKEMIRROR_BENCH_LIST_ROUNDS rounds (default 5),
// and each one's best round counts. Printed: wall time and this process's CPU time per listing.

const keys = Number(process.env.LAKEMIRROR_BENCH_LIST_KEYS ?? 20_000);
const rounds = Number(process.env.LAKEMIRROR_BENCH_LIST_ROUNDS ?? 5);
if (!Number.isInteger(keys) || keys < 1)
  throw new Error(`LAKEMIRROR_BENCH_LIST_KEYS must be a positive integer, got "${process.env.LAKEMIRROR_BENCH_LIST_KEYS}"`);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`LAKEMIRROR_BENCH_LIST_ROUNDS must be a positive integer, got "${process.env.LAKEMIRROR_BENCH_LIST_ROUNDS}"`);

const region = loadConfig().regions[0];
const s3 = createS3Client(region.objectStore);
const bucket = localBuckets().regionB;
const prefix = `bench/list-pages-${keys}/`;
const keyOf = (i: number) => `${prefix}data/g00000000000000000000/c${String(i).padStart(19, '0')}`;

type Reader = (token: string | undefined) => Promise<{ count: number; nextToken: string | undefined }>;

const readers: Record<string, Reader> = {
  'SDK parse (ListObjectsV2Command)': async (token) => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    return { count: (page.Contents ?? []).filter((o) => o.Key !== undefined).length, nextToken: page.NextContinuationToken };
  },
  'keys only (listKeysPage)': async (token) => {
    const page = await listKeysPage(s3, { bucket, prefix, continuationToken: token });
    return { count: page.keys.length, nextToken: page.nextToken };
  },
};

async function listAll(read: Reader): Promise<{ count: number; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let count = 0;
  let token: string | undefined;
  do {
    const page = await read(token);
    count += page.count;
    token = page.nextToken;
  } while (token);
  const used = process.cpuUsage(cpu);
  return { count, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function main(): Promise<void> {
  const present = (await listAll(readers['keys only (listKeysPage)'])).count;
  if (present !== keys) {
    process.stdout.write(`writing ${keys - present} of ${keys} keys under s3://${bucket}/${prefix} (kept for later runs)\n`);
    await mapWithConcurrency(
      Array.from({ length: keys }, (_, i) => i),
      32,
      (i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(i), Body: '-' })),
    );
  }
  const best = new Map<string, { seconds: number; cpuSeconds: number }>();
  for (let round = 0; round < rounds; round++)
    for (const [name, read] of Object.entries(readers)) {
      const run = await listAll(read);
      if (run.count !== keys) throw new Error(`${name} listed ${run.count} keys, expected ${keys}`);
      const held = best.get(name);
      best.set(name, { seconds: Math.min(held?.seconds ?? Infinity, run.seconds), cpuSeconds: Math.min(held?.cpuSeconds ?? Infinity, run.cpuSeconds) });
    }
  process.stdout.write(`one sequential listing of ${keys.toLocaleString('en')} keys (${Math.ceil(keys / 1000)} pages), best of ${rounds} rounds\n`);
  for (const [name, { seconds, cpuSeconds }] of best)
    process.stdout.write(
      `  ${name.padEnd(34)} ${seconds.toFixed(3).padStart(7)} s  CPU ${cpuSeconds.toFixed(3)} s (${((1e6 * cpuSeconds) / keys).toFixed(1)} µs a key)\n`,
    );
  const [sdk, lean] = [...best.values()];
  process.stdout.write(`  keys only / SDK parse: time ${(lean.seconds / sdk.seconds).toFixed(2)}x, CPU ${(lean.cpuSeconds / sdk.cpuSeconds).toFixed(2)}x\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`list-pages benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
