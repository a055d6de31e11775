import { Inject, Injectable } from '@nestjs/common';
import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QueueName, defaultJobOptions } from '@lakemirror/queues';
import type { QueueJobState } from '@lakemirror/mirroring';
import { FlowJob, FlowProducer, JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';

/** Name of the pipeline's BullMQ flow producer. */
export const PIPELINE_FLOWS = 'pipeline-flows';

/** Jobs per `addBulk` call: one Redis transaction each, kept short so that other clients are not held up long. */
const JOBS_PER_BULK = 1000;

/** A job to add: its name, payload and options (job ID above all). */
export interface JobToAdd<N extends JobName = JobName> {
  name: N;
  data: JobPayloads[N];
  opts?: JobsOptions;
}

/**
 * The pipeline's queues and flow producer (registered with BullModule), with the shared job
 * defaults. Every producer in lakemirror enqueues through this class.
 */
@Injectable()
export class PipelineQueues {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QueueName.MirrorScan) scan: Queue,
    @InjectQueue(QueueName.CommitVerify) verify: Queue,
    @InjectQueue(QueueName.CommitPromote) promote: Queue,
    @InjectQueue(QueueName.MirrorAudit) audit: Queue,
    @InjectFlowProducer(PIPELINE_FLOWS) private readonly flows: FlowProducer,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    log: PinoLogger,
  ) {
    this.queues = { [QueueName.MirrorScan]: scan, [QueueName.CommitVerify]: verify, [QueueName.CommitPromote]: promote, [QueueName.MirrorAudit]: audit };
    // Without a listener, a Redis error on a queue would be an uncaught 'error' event; ioredis reconnects by itself.
    for (const queue of [scan, verify, promote, audit])
      queue.on('error', (error) => log.warn({ queue: queue.name, err: error }, 'Redis error on a queue; reconnecting'));
    flows.on('error', (error) => log.warn({ err: error }, 'Redis error on the flow producer; reconnecting'));
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  async add<N extends JobName>(job: JobToAdd<N>): Promise<void> {
    await this.queue(JOB_QUEUE[job.name]).add(job.name, job.data, job.opts);
  }

  /** Adds many jobs with one round trip per queue (BullMQ's addBulk: job IDs deduplicate as with `add`). */
  async addBulk(jobs: JobToAdd[]): Promise<void> {
    const byQueue = new Map<QueueName, JobToAdd[]>();
    for (const job of jobs) byQueue.set(JOB_QUEUE[job.name], [...(byQueue.get(JOB_QUEUE[job.name]) ?? []), job]);
    for (const [name, queued] of byQueue) {
      for (let first = 0; first < queued.length; first += JOBS_PER_BULK) {
        const bulk = queued.slice(first, first + JOBS_PER_BULK);
        await this.queue(name).addBulk(bulk.map((job) => ({ name: job.name, data: job.data, opts: job.opts })));
      }
    }
  }

  /** Adds parent jobs with their children, in one round trip, each flow atomically; every job gets the shared defaults under its own options. */
  async addFlows(flows: { parent: JobToAdd; children: JobToAdd[] }[]): Promise<void> {
    if (flows.length === 0) return;
    const flowJob = (job: JobToAdd): FlowJob => ({
      name: job.name,
      queueName: JOB_QUEUE[job.name],
      data: job.data,
      prefix: this.queue(JOB_QUEUE[job.name]).opts.prefix,
      opts: { ...defaultJobOptions(this.settings.retry), ...job.opts },
    });
    await this.flows.addBulk(flows.map(({ parent, children }) => ({ ...flowJob(parent), children: children.map(flowJob) })));
  }

  /** The Redis connection of the queues (BullMQ's own: opened and closed with them). */
  async redis(): Promise<Redis> {
    return (await this.queue(QueueName.MirrorScan).client) as unknown as Redis;
  }

  /** The state of a job by ID: "unknown" when Redis does not have it (finished and removed, or lost). */
  async jobState(name: JobName, id: string): Promise<QueueJobState> {
    return this.queue(JOB_QUEUE[name]).getJobState(id);
  }

  /** The states of many jobs of one name: one command each, all sent at once (one round trip, not one per job). */
  async jobStates(name: JobName, ids: string[]): Promise<QueueJobState[]> {
    const queue = this.queue(JOB_QUEUE[name]);
    return Promise.all(ids.map((id) => queue.getJobState(id)));
  }
}
