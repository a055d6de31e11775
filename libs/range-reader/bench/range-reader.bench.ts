import { performance } from 'node:perf_hooks';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client, lakefsMetadataObject, mapWithConcurrency, parseStorageNamespace } from '@lakemirror/object-store';
import { RangeInfo, S3ObjectSource, readMetaRange, readRangeEntries } from '../src';

// Benchmark (not a test): entries per second read straight from range files in the object
// store, against paging the same entries through lakeFS's list-objects API, in one run.
// BENCH_OBJECTS sets the commit size (default 20,000).

const objects = Number(process.env.BENCH_OBJECTS ?? 20_000);

async function main(): Promise<void> {
  const config = loadConfig();
  const lakefs = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
  const s3 = createS3Client(config.source.objectStore);
  const bucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
  const repo = `bench-ranges-${Date.now().toString(36)}`;
  const namespace = `s3://${bucket}/bench/${repo}`;

  process.stdout.write(`preparing: ${objects} objects in repository ${repo} on ${config.source.lakefs.endpoint}\n`);
  await lakefs.createRepository({ name: repo, storage_namespace: namespace, default_branch: 'main' });
  let uploaded = 0;
  await mapWithConcurrency([...Array(objects).keys()], 32, async (i) => {
    await lakefs.uploadObject(repo, 'main', `table/part=${String(i % 100).padStart(3, '0')}/object-${String(i).padStart(7, '0')}.parquet`, `${i}`);
    if (++uploaded % 5_000 === 0) process.stdout.write(`  uploaded ${uploaded}/${objects}\n`);
  });
  const commit = await lakefs.commit(repo, 'main', { message: 'benchmark data' });

  try {
    const ns = parseStorageNamespace(namespace);
    const file = (id: string) => {
      const { bucket: b, key } = lakefsMetadataObject(ns, id);
      return new S3ObjectSource(s3, b, key);
    };

    const readAll = async (concurrency: number): Promise<{ entries: number; seconds: number; ranges: RangeInfo[] }> => {
      const start = performance.now();
      const ranges = await readMetaRange(file(commit.meta_range_id));
      let entries = 0;
      await mapWithConcurrency(ranges, concurrency, async (range) => {
        for await (const _entry of readRangeEntries(file(range.id))) entries++;
      });
      return { entries, seconds: (performance.now() - start) / 1000, ranges };
    };
    const sequential = await readAll(1);
    const parallel = await readAll(8);
    const ranges = sequential.ranges;

    const start = performance.now();
    let apiEntries = 0;
    for await (const _object of lakefs.listObjects(repo, commit.id, { amount: 1000 })) apiEntries++;
    const apiSeconds = (performance.now() - start) / 1000;

    const largest = Math.max(...ranges.map((r) => r.count));
    const apiRate = apiEntries / apiSeconds;
    const line = (label: string, run: { entries: number; seconds: number }) =>
      `${label}${run.entries} entries in ${run.seconds.toFixed(2)}s = ${Math.round(run.entries / run.seconds)} entries/s, ` +
      `${(run.entries / run.seconds / apiRate).toFixed(2)}x the list-objects API`;
    process.stdout.write(
      [
        `commit ${commit.id}: ${ranges.length} ranges, largest ${largest} entries`,
        `lakeFS list-objects API (1000/page):           ${apiEntries} entries in ${apiSeconds.toFixed(2)}s = ${Math.round(apiRate)} entries/s`,
        line('range reader, one range at a time:            ', sequential),
        line('range reader, 8 ranges at a time (verifier):  ', parallel),
        '',
      ].join('\n'),
    );
    for (const count of [sequential.entries, parallel.entries, apiEntries]) {
      if (count !== objects) throw new Error(`expected ${objects} entries from every reader, got ${count}`);
    }
  } finally {
    await lakefs.deleteRepository(repo).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
