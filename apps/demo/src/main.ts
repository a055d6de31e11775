import { randomBytes } from 'node:crypto';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient, collect, commitRecordOf } from '@lakemirror/lakefs-client';
import {
  checkObjectsExist,
  createS3Client,
  listKeys,
  mapWithConcurrency,
  objectInNamespace,
  parseStorageNamespace,
} from '@lakemirror/object-store';
import { Progress } from './progress';

// The demo of the mechanism lakemirror automates: objects travel only by MinIO's bucket
// replication (region A → region B); lakemirror's part is to create, on the destination lakeFS,
// commit records with the source's IDs once everything they reference has arrived.

const OBJECTS = 60;
const step = (text: string) => process.stdout.write(`\n${text}\n`);


async function main(): Promise<void> {
  const config = loadConfig();
  const region = config.regions[0];
  const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
  const destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
  const regionB = createS3Client(region.objectStore);
  const sourceBucket = process.env.LAKEMIRROR_SOURCE_BUCKET as string;
  const mirrorBucket = process.env.LAKEMIRROR_REGION_REGION_B_BUCKET as string;

  const repo = `demo-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '').toLowerCase()}`;
  const mirror = `${repo}-mirror`;
  const prefix = `demo/${repo}`;

  step(`1. Source repository "${repo}" on ${config.source.lakefs.endpoint} (region A), with ${OBJECTS} objects`);
  await source.createRepository({ name: repo, storage_namespace: `s3://${sourceBucket}/${prefix}`, default_branch: 'main' });
  const upload = new Progress('uploading', OBJECTS);
  let uploaded = 0;
  await mapWithConcurrency([...Array(OBJECTS).keys()], 8, async (i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    await source.uploadObject(repo, 'main', `sales/2026-11-${day}/part-${i}.csv`, `order,amount\n${i},${randomBytes(2).readUInt16BE()}\n`);
    upload.update(++uploaded);
  });
  const commit = await source.commit(repo, 'main', { message: 'November sales', metadata: { pipeline: 'demo' } });
  process.stdout.write(`  committed ${commit.id}\n`);

  step(`2. Waiting for MinIO to replicate the namespace to region B (${region.objectStore.endpoint})`);
  const keys = await collect(listKeys(createS3Client(config.source.objectStore), sourceBucket, `${prefix}/`));
  const mirrorNamespace = parseStorageNamespace(`s3://${mirrorBucket}/${prefix}`);
  const expected = keys.map((key) => objectInNamespace(mirrorNamespace, key.slice(prefix.length + 1)));
  const replication = new Progress('replicated', expected.length);
  for (const deadline = Date.now() + 120_000; ; ) {
    const { missing } = await checkObjectsExist(regionB, expected);
    replication.update(expected.length - missing.length);
    if (missing.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${missing.length} objects did not reach region B within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  step(`3. Read-only mirror "${mirror}" on ${region.lakefs.endpoint} (region B): commit records with the source's IDs`);
  await destination.createRepository(
    { name: mirror, storage_namespace: `s3://${mirrorBucket}/${prefix}`, default_branch: 'main', read_only: true },
    { bare: true },
  );
  const log = await collect(source.log(repo, 'main'));
  for (const c of log.reverse()) {
    await destination.createCommitRecord(mirror, commitRecordOf(c, { force: true }));
    process.stdout.write(`  recorded ${c.id.slice(0, 12)}  ${c.message}\n`);
  }
  await destination.createBranch(mirror, 'main', commit.id, { force: true });

  step('4. Reading every object through the mirror and comparing bytes with the source');
  const objects = await collect(source.listObjects(repo, 'main'));
  const verify = new Progress('identical', objects.length);
  let same = 0;
  for (const object of objects) {
    const [a, b] = await Promise.all([source.getObject(repo, 'main', object.path), destination.getObject(mirror, 'main', object.path)]);
    if (!a.equals(b)) throw new Error(`${object.path} differs between source and mirror`);
    verify.update(++same);
  }

  step('Done. Look around:');
  process.stdout.write(
    [
      `  source lakeFS   ${config.source.lakefs.endpoint}  repository ${repo}`,
      `  mirror lakeFS   ${region.lakefs.endpoint}  repository ${mirror}  (read-only, commit ${commit.id.slice(0, 12)})`,
      `  credentials     .lakemirror/env (local development only)`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
