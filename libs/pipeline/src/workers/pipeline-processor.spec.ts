import { QueueName } from '@lakemirror/queues';
import { type Job, UnrecoverableError } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import type { CommitFailures } from '../commit-failures.service';
import { CorruptMetadataError, NotReplicatedYetError, PermanentPipelineError, RegionNotConfiguredError } from '../pipeline.errors';
import { RangeReaderError } from '@lakemirror/range-reader';
import { JobHandlers, MissingJobHandlerError, PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/** What the processor asked to record: the failure and the job it came from. */
const recorded: { error: PermanentPipelineError; job: { commitId?: string; generation?: number } }[] = [];
const failures: Pick<CommitFailures, 'record'> = {
  record: async (error, job = {}) => {
    recorded.push({ error, job });
    return true;
  },
};

class TestProcessor extends PipelineProcessor {
  constructor(handlers: JobHandlers) {
    super(
      QueueName.CommitPromote,
      handlers,
      { concurrency: 1, retry: { attempts: 3, baseMs: 10, capMs: 100 }, shutdownGraceMs: 1_000 },
      {} as PinoLogger,
      failures,
    );
  }
}

const job = (name: string, data: object) => ({ name, data }) as Job;

describe('PipelineProcessor', () => {
  it('refuses to exist when a job of its queue has no handler, naming the jobs', () => {
    expect(() => new TestProcessor({ 'promote-mirror': async () => undefined })).toThrow(
      new MissingJobHandlerError(QueueName.CommitPromote, ['commit-verified']),
    );
  });

  it('dispatches each job by name to its handler, with its payload', async () => {
    const seen: string[] = [];
    const processor = new TestProcessor({
      'commit-verified': async ({ commitId }) => seen.push(`verified ${commitId}`),
      'promote-mirror': async ({ mirrorId }) => seen.push(`promote ${mirrorId}`),
    });
    await processor.process(job('promote-mirror', { mirrorId: 'm' }));
    await processor.process(job('commit-verified', { mirrorId: 'm', commitId: 'c', generation: 0 }));
    expect(seen).toEqual(['promote m', 'verified c']);
  });

  it('fails a job whose name its queue does not have, rather than dropping it', async () => {
    const processor = new TestProcessor({ 'commit-verified': async () => 1, 'promote-mirror': async () => 2 });
    await expect(processor.process(job('verify-chunk', {}))).rejects.toThrow('no handler for job verify-chunk on queue commit-promote');
  });

  it('records a permanent failure on its commit, then ends the job without retries', async () => {
    recorded.length = 0;
    const corrupt = new CorruptMetadataError('m', 'c', new RangeReaderError('BAD_MAGIC', 's3://b/_lakefs/r', 'not an SSTable'));
    const processor = new TestProcessor({
      'commit-verified': async () => {
        throw corrupt;
      },
      'promote-mirror': async () => {
        throw new RegionNotConfiguredError('m', 'region-c', ['region-b']);
      },
    });
    const failing = processor.process(job('commit-verified', { mirrorId: 'm', commitId: 'c', generation: 2 }));
    await expect(failing).rejects.toThrow(UnrecoverableError);
    await expect(failing).rejects.toThrow(corrupt.message);
    await expect(processor.process(job('promote-mirror', { mirrorId: 'm' }))).rejects.toThrow('mirror m: region region-c is not configured');
    expect(recorded.map((r) => [r.error.reason, r.job])).toEqual([
      ['corrupt_metadata', { mirrorId: 'm', commitId: 'c', generation: 2 }],
      ['region_not_configured', { mirrorId: 'm' }],
    ]);
  });

  it('rethrows any other failure as it is, for BullMQ to retry', async () => {
    recorded.length = 0;
    const late = new NotReplicatedYetError('m', 'c', ['k']);
    const processor = new TestProcessor({
      'commit-verified': async () => {
        throw late;
      },
      'promote-mirror': async () => undefined,
    });
    await expect(processor.process(job('commit-verified', { mirrorId: 'm', commitId: 'c', generation: 0 }))).rejects.toBe(late);
    expect(recorded).toEqual([]);
  });

  it('starts workers only once the app is up, with a 15 s lock and the process in its name', () => {
    expect(pipelineWorkerOptions(QueueName.CommitVerify)).toMatchObject({
      autorun: false,
      lockDuration: 15_000,
      stalledInterval: 15_000,
      name: expect.stringMatching(new RegExp(`^commit-verify-.+-${process.pid}$`)),
    });
  });
});
