import { JobName, JobPayloads, QueueName, jobsOf } from '@lakemirror/queues';
import { Job, Worker } from 'bullmq';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { PipelineQueues } from './pipeline-queues';

export type JobHandlers = { [N in JobName]?: (data: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown> };

export class MissingJobHandlerError extends Error {
  readonly code = 'MISSING_JOB_HANDLER';

  constructor(
    readonly queue: QueueName,
    readonly jobs: JobName[],
  ) {
    super(`queue ${queue} has jobs without a handler: ${jobs.join(', ')}`);
    this.name = 'MissingJobHandlerError';
  }
}

/**
 * A BullMQ worker for one queue that dispatches each job by name to its handler. Refuses to
 * start when a job of the queue has no handler. Failures are logged with the mirror and
 * commit, then rethrown for BullMQ to retry.
 */
export function startPipelineWorker(queues: PipelineQueues, queue: QueueName, handlers: JobHandlers, options: { concurrency: number; log: Logger }): Worker {
  const unhandled = jobsOf(queue).filter((name) => !handlers[name]);
  if (unhandled.length > 0) throw new MissingJobHandlerError(queue, unhandled);
  const worker = new Worker(
    queue,
    async (job: Job) => {
      const handler = handlers[job.name as JobName] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
      if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
      return handler(job.data, job);
    },
    {
      connection: queues.connection.duplicate(),
      prefix: queues.prefix,
      concurrency: options.concurrency,
      // A crashed worker's jobs return to the queue once their lock lapses: 15 s, not BullMQ's 30.
      lockDuration: 15_000,
      stalledInterval: 15_000,
      // Shown as each job's processedBy: which process did the work.
      name: `${queue}-${hostname()}-${process.pid}`,
      settings: { backoffStrategy: (attemptsMade: number, type?: string) => queues.backoffDelay(attemptsMade, type) },
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const { mirrorId, commitId, rangeId } = job.data as { mirrorId?: string; commitId?: string; rangeId?: string };
    const retrying = job.attemptsMade < (job.opts.attempts ?? 1);
    const level = (error as { code?: string }).code === 'NOT_REPLICATED_YET' && retrying ? 'info' : 'warn';
    options.log[level]({ mirror: mirrorId, commit: commitId, range: rangeId, job: job.name, jobId: job.id, attempt: job.attemptsMade, retrying, err: error }, `${job.name} failed`);
  });
  worker.on('error', (error) => options.log.error({ queue, err: error }, 'worker error'));
  return worker;
}
