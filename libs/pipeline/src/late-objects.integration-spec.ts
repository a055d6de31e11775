import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit } from '@lakemirror/lakefs-client';
import { QueueName, jobId } from '@lakemirror/queues';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { Job, Worker } from 'bullmq';
import type { RecheckedCheck } from './late-objects.service';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// An object-created event that comes while the check waiting for the object is still running
// (it has listed, not yet failed): nothing waits out a backoff yet, so the check is watched and
// run again the moment it does, not at the end of its backoff.
describe('late objects: an event while the waiting check runs', () => {
  const env = testEnvironment();
  const mirror = uniqueName('late-m');
  const prefix = uniqueName('lmq');
  const commit: Commit = { id: 'c1a7e', parents: [], committer: 'test', message: 'test', creation_date: 1_700_000_000, meta_range_id: 'm1' };
  const key = `mirrors/${mirror}/data/p1/late`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  let worker: Worker | undefined;

  beforeAll(async () => {
    schema = await migratedSchema('lm_late');
    pipeline = await createPipeline({ ...loadConfig(), databaseSchema: schema.schema, queuePrefix: prefix }, readPipelineSettings(new EnvReader({})));
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, 'src', 'region-b', $2, 'active', 'test')`,
      [mirror, `s3://${env.regionB.bucket}/mirrors/${mirror}`],
    );
    await pipeline.commits.addDiscovered(mirror, [commit]);
    await pipeline.missing.record(mirror, commit.id, 'r1@0', [key]);
  });
  afterAll(async () => {
    await worker?.close(true);
    await pipeline?.queues.queue(QueueName.CommitVerify).obliterate({ force: true });
    await pipeline?.close();
    await schema?.drop();
  });

  it('runs the check again as soon as it waits out its backoff, and says so', async () => {
    const data = { mirrorId: mirror, commitId: commit.id, generation: 0, rangeId: 'r1', firstEntry: 0, endEntry: 100 };
    const id = jobId.verifyChunk(data);
    // A backoff of a minute, longer than waitFor's patience: a second run can only come from the event.
    await pipeline.queues.add({ name: 'verify-chunk', data, opts: { jobId: id, attempts: 3, backoff: { type: 'fixed', delay: 60_000 } } });
    let fail!: () => void;
    const failed = new Promise<void>((resolve) => (fail = resolve));
    let runs = 0;
    worker = new Worker(
      QueueName.CommitVerify,
      async (job: Job) => {
        if (job.id !== id) return;
        runs++;
        if (runs > 1) return;
        await failed;
        throw new Error('data/p1/late not replicated yet');
      },
      { connection: { url: loadConfig().redisUrl }, prefix, concurrency: 1 },
    );
    await waitFor('the check to run', async () => (await pipeline.queues.jobState('verify-chunk', id)) === 'active');

    const later: RecheckedCheck[] = [];
    const rechecked = await pipeline.lateObjects.arrived([{ bucket: env.regionB.bucket, key }], async (check) => {
      later.push(check);
    });
    expect(rechecked).toEqual([]);
    fail();

    await waitFor('the check to run again', async () => runs === 2 && later.length > 0);
    expect(later).toEqual([{ mirrorId: mirror, commitId: commit.id, key, jobId: id }]);
  });
});
