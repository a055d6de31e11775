import { CAPPED_BACKOFF, JOB_QUEUE, JobName, JobPayloads, QueueName, RetrySettings, cappedBackoffDelay, defaultJobOptions } from '@lakemirror/queues';
import { FlowJob, FlowProducer, JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** A job to add: its name, payload and options (job ID above all). */
export interface JobToAdd<N extends JobName = JobName> {
  name: N;
  data: JobPayloads[N];
  opts?: JobsOptions;
}

/**
 * The pipeline's queues and flow producer on one Redis connection, with the shared job defaults.
 * Every producer in lakemirror enqueues through this class.
 */
export class PipelineQueues {
  readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private flows?: FlowProducer;

  constructor(
    redisUrl: string,
    readonly prefix: string,
    readonly retry: RetrySettings,
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: defaultJobOptions(this.retry) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(job: JobToAdd<N>): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, job.opts);
  }

  /** Adds a parent job with its children, atomically; every job gets the shared defaults under its own options. */
  async addFlow(parent: JobToAdd, children: JobToAdd[]): Promise<void> {
    this.flows ??= new FlowProducer({ connection: this.connection, prefix: this.prefix });
    const flowJob = (job: JobToAdd): FlowJob => ({
      name: job.name,
      queueName: JOB_QUEUE[job.name],
      data: job.data,
      prefix: this.prefix,
      opts: { ...defaultJobOptions(this.retry), ...job.opts },
    });
    await this.flows.add({ ...flowJob(parent), children: children.map(flowJob) });
  }

  /** The state of a job by ID: "unknown" when Redis does not have it (finished and removed, or lost). */
  async jobState(name: JobName, id: string): Promise<string> {
    return this.queue(JOB_QUEUE[name]).getJobState(id);
  }

  backoffDelay(attemptsMade: number, type?: string): number {
    if (type !== CAPPED_BACKOFF) return 0;
    return cappedBackoffDelay(attemptsMade, this.retry);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flows?.close();
    this.connection.disconnect();
  }
}
