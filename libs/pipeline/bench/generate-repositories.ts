import {
  BigCommitLayout,
  DEFAULT_BIG_COMMIT_BASE_OBJECTS,
  UploadMethod,
  ensureBigCommitRepository,
  ensureFirstSyncRepository,
  partitionedKey,
  source,
  sourceBucket,
  uploadObjects,
} from './kept-repositories';

// Makes the scale benchmarks' kept source repositories ahead of time (the benchmarks make them too
// when missing), or measures which upload path is fastest. Run from the repository's root with the
// environment's settings (.lakemirror/env), as the benchmarks:
//   generate-repositories.ts trial [objects]             upload API vs S3 gateway, on a scratch repository
//   generate-repositories.ts first-sync M [M...]         bench-first-sync-mM
//   generate-repositories.ts big-commit N [layout...]    bench-big-commit-nN, branches big-{clustered,scattered} (base:
//                                                        100,000 objects, or LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS)
// LAKEMIRROR_BENCH_UPLOAD_METHOD picks how: direct (the default), api or s3-gateway (kept-repositories.ts).
// Interrupted, it resumes where it stopped when run again.

const log = (text: string) => process.stdout.write(`${text}\n`);

async function trial(objects: number): Promise<void> {
  const repo = `bench-upload-trial-${Date.now().toString(36)}`;
  await source.createRepository({ name: repo, storage_namespace: `s3://${sourceBucket}/bench/${repo}`, default_branch: 'main' });
  try {
    const runs: [UploadMethod, number][] = [
      ['api', 64],
      ['s3-gateway', 64],
      ['api', 128],
      ['s3-gateway', 128],
    ];
    for (const [method, concurrency] of runs) {
      const branch = `${method}-${concurrency}`;
      await source.createBranch(repo, branch, 'main');
      const rate = await uploadObjects(repo, branch, [...Array(objects).keys()], partitionedKey, { method, concurrency, progressEvery: objects + 1 });
      log(`  ${method.padEnd(10)} ${String(concurrency).padStart(3)} at a time: ${objects} objects at ${rate.toFixed(0)} objects/s`);
    }
  } finally {
    await source.deleteRepository(repo).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const numbers = args.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (command === 'trial') return trial(numbers[0] ?? 5_000);
  if (command === 'first-sync' && numbers.length > 0) {
    for (const objects of numbers) log(`${(await ensureFirstSyncRepository(objects)).repo}: ready`);
    return;
  }
  if (command === 'big-commit' && numbers.length === 1) {
    const layouts = args.slice(1) as BigCommitLayout[];
    for (const layout of layouts.length > 0 ? layouts : (['clustered', 'scattered'] as const))
      log(
        `${(await ensureBigCommitRepository(layout, numbers[0], Number(process.env.LAKEMIRROR_BENCH_BIG_COMMIT_BASE_OBJECTS ?? DEFAULT_BIG_COMMIT_BASE_OBJECTS))).repo}: ready`,
      );
    return;
  }
  throw new Error('usage: generate-repositories.ts trial [objects] | first-sync M [M...] | big-commit N [clustered|scattered ...]');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`generation failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
