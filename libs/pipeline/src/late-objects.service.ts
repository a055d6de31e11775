import { Injectable } from '@nestjs/common';
import { CheckWaitingForKey, MissingObjectRepository } from '@lakemirror/persistence';
import { JOB_QUEUE, JobName, jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import type { CreatedObject } from './object-events';
import { PipelineQueues } from './pipeline-queues';

/** A check run again because an object it waited for arrived. */
export interface RecheckedCheck {
  mirrorId: string;
  commitId: string;
  key: string;
  jobId: string;
}

/**
 * The jobs that may re-run a check: the plan for a missing metarange, else the chunk named
 * "<range>@<first entry>", checked by its own job or by its commit's sweep.
 */
function jobsOf(check: CheckWaitingForKey): { name: JobName; id: string }[] {
  const { mirrorId, commitId, generation } = check;
  if (check.checkedBy === 'metarange') return [{ name: 'plan-commit', id: jobId.planCommit({ mirrorId, commitId, generation }) }];
  const at = check.checkedBy.lastIndexOf('@');
  const firstEntry = Number(check.checkedBy.slice(at + 1));
  if (at <= 0 || !Number.isInteger(firstEntry)) return [];
  const rangeId = check.checkedBy.slice(0, at);
  return [
    { name: 'verify-chunk', id: jobId.verifyChunk({ mirrorId, commitId, generation, rangeId, firstEntry, endEntry: 0 }) },
    { name: 'verify-sweep', id: jobId.verifySweep({ mirrorId, commitId, generation }) },
  ];
}

/**
 * Late objects: when an object a check found missing lands in the mirror bucket (an
 * object-created event), the check's job, waiting out its retry backoff, runs now instead. The
 * backoff stays the safety net for events lost, late or never configured, and for an object
 * that lands while its check runs (the job is not delayed yet, so nothing is promoted).
 */
@Injectable()
export class LateObjects {
  constructor(
    private readonly missing: MissingObjectRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  async arrived(objects: CreatedObject[]): Promise<RecheckedCheck[]> {
    const byBucket = new Map<string, string[]>();
    for (const { bucket, key } of objects) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key]);
    const rechecked: RecheckedCheck[] = [];
    const seen = new Set<string>();
    for (const [bucket, keys] of byBucket) {
      for (const check of await this.missing.checksWaitingFor(bucket, keys)) {
        for (const job of jobsOf(check)) {
          if (seen.has(job.id)) continue;
          seen.add(job.id);
          if (await this.runNow(job.name, job.id)) {
            rechecked.push({ mirrorId: check.mirrorId, commitId: check.commitId, key: check.key, jobId: job.id });
            this.log.info({ mirror: check.mirrorId, commit: check.commitId, key: check.key, job: job.id }, 'late object arrived: its check runs now');
          }
        }
      }
    }
    return rechecked;
  }

  /** Promotes the job when it waits out a backoff; any other state (running, gone, done) is left as it is. */
  private async runNow(name: JobName, id: string): Promise<boolean> {
    const job = await this.queues.queue(JOB_QUEUE[name]).getJob(id);
    if (!job || !(await job.isDelayed())) return false;
    try {
      await job.promote();
      return true;
    } catch (error) {
      // The job left the delayed state in between (its delay ran out, or another event promoted it).
      this.log.debug({ job: id, err: error }, 'late object: the check was no longer delayed');
      return false;
    }
  }
}
