import { performance } from 'node:perf_hooks';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client, lakefsMetadataObject, mapWithConcurrency, parseStorageNamespace } from '@lakemirror/object-store';
import {
  ByteSource,
  RangeEntry,
  RangeInfo,
  S3ObjectSource,
  readMetaRange,
  readRangeAddressBatches,
  readRangeEntries,
  readRangeEntryBatches,
  readRangesAhead,
} from '../src';
import { decodeRates } from './in-memory-decode';
import { legacyReadRangeEntries } from './legacy-range-reader';

// Benchmark (not a test): entries per second read straight from range files in the object
// store, against paging the same entries through lakeFS's list-objects API, in one run.
// BENCH_OBJECTS sets the commit size (default 20,000); BENCH_ROUNDS how many interleaved rounds
// each figure is the best of (default 3); BENCH_REPO (BENCH_DEFAULT_RANGES_REPO on the lakeFS with
// default range sizes) reuses a repository a previous run kept
// (BENCH_KEEP=1 keeps it) instead of uploading again.

const objects = Number(process.env.BENCH_OBJECTS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const GOAL = 10;
/** Range files whose GETs one stream keeps in flight ahead of the one it decodes. */
const READ_AHEAD = 8;
/** S3ObjectSource fetched a 64 KiB tail first before this work (now 512 KiB). */
const LEGACY_TAIL_BYTES = 64 * 1024;

/** A lakeFS to measure on: the same S3 client reads its range files (both lakeFS store in region A). */
interface Installation {
  label: string;
  lakefs: LakefsClient;
  /** A repository a previous run kept, to reuse instead of uploading again. */
  reused?: string;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const s3 = createS3Client(config.source.objectStore);
  const bucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
  const installations: Installation[] = [
    {
      label: `the local lakeFS (${config.source.lakefs.endpoint}; ranges of about 1,000 entries, for tests)`,
      lakefs: new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs }),
      reused: process.env.BENCH_REPO,
    },
  ];
  const defaultRanges = process.env.LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_ENDPOINT;
  if (
    defaultRanges &&
    (await fetch(`${defaultRanges}/_health`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    installations.push({
      label: `lakeFS with its default range sizes (${defaultRanges}; as in production)`,
      lakefs: new LakefsClient({
        endpoint: defaultRanges,
        credentials: {
          accessKeyId: process.env.LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_ACCESS_KEY_ID as string,
          secretAccessKey: process.env.LAKEMIRROR_ENV_DEFAULT_RANGES_LAKEFS_SECRET_ACCESS_KEY as string,
        },
      }),
      reused: process.env.BENCH_DEFAULT_RANGES_REPO,
    });
  else
    process.stdout.write('lakeFS with its default range sizes is not running (scripts/bench.sh range-reader starts it): measured on the local lakeFS only\n');
  for (const installation of installations) await benchmark(installation, s3, bucket);
}

async function benchmark({ label, lakefs, reused }: Installation, s3: ReturnType<typeof createS3Client>, bucket: string): Promise<void> {
  const repo = reused ?? `bench-ranges-${Date.now().toString(36)}`;
  const namespace = `s3://${bucket}/bench/${repo}`;
  process.stdout.write(`\n== ${label}\n`);

  let commitId: string;
  if (reused) {
    commitId = (await lakefs.getBranch(repo, 'main')).commit_id;
    process.stdout.write(`reusing repository ${repo} at ${commitId}\n`);
  } else {
    process.stdout.write(`preparing: ${objects} objects in repository ${repo}\n`);
    await lakefs.createRepository({ name: repo, storage_namespace: namespace, default_branch: 'main' });
    let uploaded = 0;
    await mapWithConcurrency([...Array(objects).keys()], 32, async (i) => {
      await lakefs.uploadObject(repo, 'main', `table/part=${String(i % 100).padStart(3, '0')}/object-${String(i).padStart(7, '0')}.parquet`, `${i}`);
      if (++uploaded % 5_000 === 0) process.stdout.write(`  uploaded ${uploaded}/${objects}\n`);
    });
    commitId = (await lakefs.commit(repo, 'main', { message: 'benchmark data' })).id;
  }
  const metaRangeId = (await lakefs.getCommit(repo, commitId)).meta_range_id;

  try {
    const ns = parseStorageNamespace(namespace);
    const file = (id: string, tailBytes?: number) => {
      const { bucket: b, key } = lakefsMetadataObject(ns, id);
      return new S3ObjectSource(s3, b, key, tailBytes);
    };
    const ranges = await readMetaRange(file(metaRangeId));
    const expected = ranges.reduce((sum, r) => sum + r.count, 0);

    type Reader = (source: ByteSource, range: RangeInfo) => Promise<number>;
    const count =
      (read: (source: ByteSource) => AsyncIterable<RangeEntry>): Reader =>
      async (source) => {
        let n = 0;
        for await (const _entry of read(source)) n++;
        return n;
      };
    const batches: Reader = async (source) => {
      let n = 0;
      for await (const batch of readRangeEntryBatches(source)) n += batch.length;
      return n;
    };
    // The bytes alone: what one stream of ranged GETs delivers with no decoding at all.
    const fetchOnly: Reader = async (source, range) => {
      await source.read(0, await source.size());
      return range.count;
    };
    const overS3 = async (read: Reader, concurrency: number, tailBytes?: number): Promise<number> => {
      const start = performance.now();
      let entries = 0;
      await mapWithConcurrency(ranges, concurrency, async (range) => {
        const n = await read(file(range.id, tailBytes), range);
        entries += n;
      });
      if (entries !== expected) throw new Error(`expected ${expected} entries, read ${entries}`);
      return entries / ((performance.now() - start) / 1000);
    };
    const addresses: Reader = async (source) => {
      let n = 0;
      for await (const batch of readRangeAddressBatches(source)) n += batch.length;
      return n;
    };
    // One stream of entries in order (as the sweep consumes them), with the next files' GETs in flight.
    const addressesAhead = async (): Promise<number> => {
      const start = performance.now();
      let entries = 0;
      for await (const batch of readRangesAhead(
        ranges.map((range) => file(range.id)),
        READ_AHEAD,
      ))
        entries += batch.length;
      if (entries !== expected) throw new Error(`expected ${expected} entries, read ${entries}`);
      return entries / ((performance.now() - start) / 1000);
    };
    const listObjects = async (): Promise<number> => {
      const start = performance.now();
      let entries = 0;
      for await (const _object of lakefs.listObjects(repo, commitId, { amount: 1000 })) entries++;
      if (entries !== expected) throw new Error(`expected ${expected} entries from list-objects, got ${entries}`);
      return entries / ((performance.now() - start) / 1000);
    };

    const runs = {
      listObjects,
      fetchOnly: () => overS3(fetchOnly, 1),
      batches: () => overS3(batches, 1),
      perEntry: () => overS3(count(readRangeEntries), 1),
      legacy: () => overS3(count(legacyReadRangeEntries), 1, LEGACY_TAIL_BYTES),
      batches8: () => overS3(batches, 8),
      addresses: () => overS3(addresses, 1),
      addressesAhead,
    };
    const best = Object.fromEntries(Object.keys(runs).map((name) => [name, 0])) as Record<keyof typeof runs, number>;
    await runs.batches(); // warm-up: connections and JIT, for every reader alike
    await runs.legacy();
    // Interleaved rounds, so a machine busy with other work slows every path alike; the best round of each counts.
    for (let round = 0; round < rounds; round++) {
      for (const name of Object.keys(runs) as (keyof typeof runs)[]) best[name] = Math.max(best[name], await runs[name]());
    }

    const files: Buffer[] = [];
    for (const range of ranges) {
      const source = file(range.id);
      files.push(await source.read(0, await source.size()));
    }
    const memory = await decodeRates(files, rounds + 2, legacyReadRangeEntries);

    const api = best.listObjects;
    const rate = (n: number) => `${Math.round(n)} entries/s`;
    const ratio = (n: number) => `ratio ${(n / api).toFixed(1)}x`;
    const goal = (n: number) => `(goal >= ${GOAL}x: ${n / api >= GOAL ? 'met' : 'NOT met'})`;
    process.stdout.write(
      [
        `commit ${commitId}: ${expected} entries in ${ranges.length} ranges, largest ${Math.max(...ranges.map((r) => r.count))} entries; best of ${rounds} interleaved rounds`,
        `range decoding, one stream: ${rate(best.batches)} | lakeFS list-objects: ${rate(api)} | ${ratio(best.batches)} ${goal(best.batches)}`,
        `  readRangeEntries (per entry):               ${rate(best.perEntry)} | ${ratio(best.perEntry)}`,
        `  before (protobufjs, per entry, 64 KiB tail): ${rate(best.legacy)} | ${ratio(best.legacy)}`,
        `  S3 GETs of the range files, no decoding:    ${rate(best.fetchOnly)} | ${ratio(best.fetchOnly)} ` +
          `(${((expected / best.fetchOnly / ranges.length) * 1000).toFixed(1)} ms per range file: one stream's ceiling)`,
        `  8 ranges at a time (the verifier):          ${rate(best.batches8)} | ${ratio(best.batches8)}`,
        `addresses only (what a presence check reads), one stream: ${rate(best.addresses)} | ${ratio(best.addresses)}`,
        `addresses only, one stream with ${READ_AHEAD} range files' GETs ahead: ${rate(best.addressesAhead)} | ${ratio(best.addressesAhead)} ${goal(best.addressesAhead)}; ` +
          `the GETs alone: ${ratio(best.fetchOnly)}`,
        `in memory (no network), decode alone: ${rate(memory.batches)} | ${ratio(memory.batches)}; ` +
          `readRangeEntries ${rate(memory.perEntry)}; before ${rate(memory.legacy)} (${(memory.batches / memory.legacy).toFixed(1)}x faster now); ` +
          `addresses only ${rate(memory.addresses)} | ${ratio(memory.addresses)} ${goal(memory.addresses)}`,
        '',
      ].join('\n'),
    );
  } finally {
    if (!reused && process.env.BENCH_KEEP !== '1') await lakefs.deleteRepository(repo).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
