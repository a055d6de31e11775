import { QueueName } from '@lakemirror/queues';
import type { Job } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import { JobHandlers, MissingJobHandlerError, PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

class TestProcessor extends PipelineProcessor {
  constructor(handlers: JobHandlers) {
    super(QueueName.CommitPromote, handlers, { concurrency: 1, retry: { attempts: 3, baseMs: 10, capMs: 100 }, shutdownGraceMs: 1_000 }, {} as PinoLogger);
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

  it('starts workers only once the app is up, with a 15 s lock and the process in its name', () => {
    expect(pipelineWorkerOptions(QueueName.CommitVerify)).toMatchObject({
      autorun: false,
      lockDuration: 15_000,
      stalledInterval: 15_000,
      name: expect.stringMatching(new RegExp(`^commit-verify-.+-${process.pid}$`)),
    });
  });
});
