import { Injectable } from '@nestjs/common';
import { QueueName } from '@lakemirror/queues';
import { randomUUID } from 'node:crypto';
import { PlanLockBusyError } from './pipeline.errors';
import { PipelineQueues } from './pipeline-queues';

/** How long a lock outlives a holder that died without releasing it. */
const LEASE_MS = 120_000;
const POLL_MS = 25;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * The plan jobs of one mirror take turns (see PlannerService.planCommit): each plans a batch of
 * the mirror's pending commits, and two batches planned at once, by two jobs or two verifiers,
 * would overlap. A Redis key per mirror under the queues' prefix, with a lease, so a holder that
 * dies frees it in time; released only by its holder.
 */
@Injectable()
export class MirrorPlanLock {
  constructor(private readonly queues: PipelineQueues) {}

  async holding<T>(mirrorId: string, work: () => Promise<T>): Promise<T> {
    const redis = await this.queues.redis();
    const key = `${this.queues.queue(QueueName.CommitVerify).opts.prefix}:plan-lock:${mirrorId}`;
    const token = randomUUID();
    const deadline = Date.now() + LEASE_MS;
    while ((await redis.set(key, token, 'PX', LEASE_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new PlanLockBusyError(mirrorId, LEASE_MS);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    try {
      return await work();
    } finally {
      await redis.eval(RELEASE, 1, key, token);
    }
  }
}
