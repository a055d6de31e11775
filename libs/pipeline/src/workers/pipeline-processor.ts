import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { backoffDelay, type RetrySettings } from '@lakemirror/config';
import { CAPPED_BACKOFF, JobName, JobPayloads, QueueName, jobsOf } from '@lakemirror/queues';
import { type Job, UnrecoverableError, type WorkerOptions } from 'bullmq';
import { hostname } from 'node:os';
import type { PinoLogger } from 'nestjs-pino';
import type { CommitFailures } from '../commit-failures.service';
import { PermanentPipelineError } from '../pipeline.errors';

/** The handler of each job of one queue, by job name. */
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
 * Worker options of every pipeline processor. Workers start only once the whole app is up
 * (autorun off; see onApplicationBootstrap), and a crashed worker's jobs return to the queue
 * once their lock lapses: 15 s, not BullMQ's 30.
 */
export function pipelineWorkerOptions(queue: QueueName): Omit<WorkerOptions, 'connection'> {
  // Shown as each job's processedBy: which process did the work.
  return { autorun: false, lockDuration: 15_000, stalledInterval: 15_000, name: `${queue}-${hostname()}-${process.pid}` };
}

/**
 * A BullMQ worker for one queue (a @Processor of @nestjs/bullmq) that dispatches each job by
 * name to a service. On start-up it refuses to run when a job of its queue has no handler,
 * takes its concurrency and retry timing from the validated settings, then starts taking jobs;
 * on shutdown it stops taking jobs and lets the running ones finish (or hands them back) before
 * the app closes its connections. Failures are logged with the mirror and commit, then
 * rethrown for BullMQ to retry; a permanent one is first recorded on its commit, then ends the
 * job without retries (UnrecoverableError).
 */
export abstract class PipelineProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly handlers: JobHandlers;

  protected constructor(
    private readonly queueName: QueueName,
    handlers: JobHandlers,
    private readonly tuning: { concurrency: number; retry: RetrySettings; shutdownGraceMs: number },
    protected readonly log: PinoLogger,
    private readonly failures: Pick<CommitFailures, 'record'>,
  ) {
    super();
    const unhandled = jobsOf(queueName).filter((name) => !handlers[name]);
    if (unhandled.length > 0) throw new MissingJobHandlerError(queueName, unhandled);
    this.handlers = handlers;
  }

  async process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as JobName] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`no handler for job ${job.name} on queue ${this.queueName}`);
    try {
      return await handler(job.data, job);
    } catch (error) {
      if (!(error instanceof PermanentPipelineError)) throw error;
      // Recorded before the job ends: should PostgreSQL be down, this throws and BullMQ retries the job, which fails the same way again.
      await this.failures.record(error, job.data as { commitId?: string; generation?: number });
      throw new UnrecoverableError(error.message);
    }
  }

  onApplicationBootstrap(): void {
    const worker = this.worker;
    worker.concurrency = this.tuning.concurrency;
    // BullMQ reads the backoff strategy from the worker's settings when a job fails.
    worker.opts.settings = {
      ...worker.opts.settings,
      backoffStrategy: (attemptsMade: number, type?: string) => (type === CAPPED_BACKOFF ? backoffDelay(attemptsMade, this.tuning.retry) : 0),
    };
    worker.on('failed', (job, error) => this.logFailure(job, error));
    worker.on('error', (error) => this.log.error({ queue: this.queueName, err: error }, 'worker error'));
    worker.run().catch((error: unknown) => this.log.error({ queue: this.queueName, err: error }, 'worker stopped'));
  }

  /**
   * Stops taking jobs and waits for the running ones; past the grace period, closes without
   * waiting: their locks lapse and another worker takes them again (BullMQ's stalled-job check).
   */
  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>((resolve) => (timer = setTimeout(() => resolve('grace-over'), this.tuning.shutdownGraceMs)));
    const ended = await Promise.race([this.worker.close(), graceOver]);
    clearTimeout(timer);
    if (ended === 'grace-over') {
      this.log.warn(
        { queue: this.queueName, graceMs: this.tuning.shutdownGraceMs },
        'running jobs did not finish within the shutdown grace period: handed back',
      );
      await this.worker.close(true);
    }
  }

  private logFailure(job: Job | undefined, error: Error): void {
    if (!job) return;
    const { mirrorId, commitId, rangeId } = job.data as { mirrorId?: string; commitId?: string; rangeId?: string };
    const permanent = error instanceof UnrecoverableError;
    const retrying = !permanent && job.attemptsMade < (job.opts.attempts ?? 1);
    const level = permanent ? 'error' : (error as { code?: string }).code === 'NOT_REPLICATED_YET' && retrying ? 'info' : 'warn';
    this.log[level](
      { mirror: mirrorId, commit: commitId, range: rangeId, job: job.name, jobId: job.id, attempt: job.attemptsMade, retrying, err: error },
      `${job.name} failed`,
    );
  }
}
