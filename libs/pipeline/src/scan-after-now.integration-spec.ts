import { EnvReader, loadConfig } from '@lakemirror/config';
import { QueueName, jobId } from '@lakemirror/queues';
import { migratedSchema } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { Job, Worker } from 'bullmq';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// A scan asked for after a change (a lakeFS hook's, "sync now") must start after the request: a
// scan already running may have listed the branches before the change, so one more is queued
// behind it; repeated requests collapse into one waiting scan, as before.
describe('scans that start after the request', () => {
  const mirrorId = 'sales-eu';
  const prefix = uniqueName('lmq');
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  let worker: Worker | undefined;
  const waitingScans = async () => (await pipeline.queues.queue(QueueName.MirrorScan).getJobs(['waiting'])).map((job) => job.id).sort();

  beforeAll(async () => {
    schema = await migratedSchema('lm_scan_now');
    pipeline = await createPipeline({ ...loadConfig(), databaseSchema: schema.schema, queuePrefix: prefix }, readPipelineSettings(new EnvReader({})));
  });
  afterAll(async () => {
    await worker?.close(true);
    await pipeline?.queues.queue(QueueName.MirrorScan).obliterate({ force: true });
    await pipeline?.close();
    await schema?.drop();
  });

  it('collapses into the waiting scan when none is running', async () => {
    await pipeline.scanner.enqueueScan(mirrorId);
    await pipeline.scanner.enqueueScanAfterNow(mirrorId);
    await pipeline.scanner.enqueueScanAfterNow(mirrorId);
    expect(await waitingScans()).toEqual([jobId.scanMirror({ mirrorId })]);
  });

  it('queues one more scan behind a running one, once however often asked', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const connection = { url: loadConfig().redisUrl };
    worker = new Worker(
      QueueName.MirrorScan,
      async (job: Job) => {
        started.push(job.id as string);
        await released;
      },
      { connection, prefix, concurrency: 1 },
    );
    await waitFor('the scan to run', async () => (await pipeline.queues.jobState('scan-mirror', jobId.scanMirror({ mirrorId }))) === 'active');

    await pipeline.scanner.enqueueScanAfterNow(mirrorId);
    await pipeline.scanner.enqueueScanAfterNow(mirrorId);
    expect(await waitingScans()).toEqual([jobId.rescanMirror({ mirrorId })]);
    // The plain enqueue (the timer's) still collapses into the running scan.
    await pipeline.scanner.enqueueScan(mirrorId);
    expect(await waitingScans()).toEqual([jobId.rescanMirror({ mirrorId })]);

    release();
    await waitFor('the queued scan to run after the running one', async () => started.length === 2);
    expect(started).toEqual([jobId.scanMirror({ mirrorId }), jobId.rescanMirror({ mirrorId })]);
  });
});
