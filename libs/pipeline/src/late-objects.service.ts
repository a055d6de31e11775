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

/** How long a check running when its object's event came is watched for waiting out its backoff (see watchRunning). */
const RUNNING_WATCH_MS = 1_000;
const RUNNING_POLL_MS = 20;

/**
 * Late objects: when an object a check found missing lands in the mirror bucket (an
 * object-created event), the check's job, waiting out its retry backoff, runs now instead. The
 * backoff stays the safety net for events lost, late or never configured.
 */
@Injectable()
export class LateObjects {
  /** Running jobs watched for waiting out their backoff, by job ID (one watch per job). */
  private readonly watched = new Set<string>();

  constructor(
    private readonly missing: MissingObjectRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  /**
   * Runs now the checks waiting for these objects. Returns the checks run now; one whose job was
   * running is watched in the background and, if it then waits out a backoff, run then and
   * passed to `onLaterRecheck`.
   */
  async arrived(objects: CreatedObject[], onLaterRecheck: (check: RecheckedCheck) => Promise<void> = async () => undefined): Promise<RecheckedCheck[]> {
    const byBucket = new Map<string, string[]>();
    for (const { bucket, key } of objects) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key]);
    const rechecked: RecheckedCheck[] = [];
    const seen = new Set<string>();
    for (const [bucket, keys] of byBucket) {
      for (const check of await this.missing.checksWaitingFor(bucket, keys)) {
        for (const job of jobsOf(check)) {
          if (seen.has(job.id)) continue;
          seen.add(job.id);
          const recheck = { mirrorId: check.mirrorId, commitId: check.commitId, key: check.key, jobId: job.id };
          const state = await this.runNow(job.name, job.id);
          if (state === 'promoted') rechecked.push(this.logged(recheck));
          else if (state === 'active') this.watchRunning(job.name, recheck, onLaterRecheck);
        }
      }
    }
    return rechecked;
  }

  /** Promotes the job when it waits out a backoff; any other state (running, gone, done) is left as it is, and said. */
  private async runNow(name: JobName, id: string): Promise<'promoted' | 'active' | 'other'> {
    const job = await this.queues.queue(JOB_QUEUE[name]).getJob(id);
    if (!job) return 'other';
    const state = await job.getState();
    if (state !== 'delayed') return state === 'active' ? 'active' : 'other';
    try {
      await job.promote();
      return 'promoted';
    } catch (error) {
      // The job left the delayed state in between (its delay ran out, or another event promoted it).
      this.log.debug({ job: id, err: error }, 'late object: the check was no longer delayed');
      return 'other';
    }
  }

  /**
   * A check running when its object landed sees the object itself, unless it was already past
   * its last look (VerifierService.stillMissing, after recording what it missed): then it fails
   * within moments, and is promoted as soon as it waits out its backoff. Watched in the background,
   * so a burst of events is never held up by a long-running check.
   */
  private watchRunning(name: JobName, recheck: RecheckedCheck, onLaterRecheck: (check: RecheckedCheck) => Promise<void>): void {
    if (this.watched.has(recheck.jobId)) return;
    this.watched.add(recheck.jobId);
    const deadline = Date.now() + RUNNING_WATCH_MS;
    const watch = async () => {
      let state = await this.runNow(name, recheck.jobId);
      while (state === 'active' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, RUNNING_POLL_MS));
        state = await this.runNow(name, recheck.jobId);
      }
      if (state === 'promoted') await onLaterRecheck(this.logged(recheck));
    };
    watch()
      .catch((error: unknown) =>
        this.log.warn({ mirror: recheck.mirrorId, commit: recheck.commitId, job: recheck.jobId, err: error }, 'late object: watching a running check failed'),
      )
      .finally(() => this.watched.delete(recheck.jobId));
  }

  private logged(recheck: RecheckedCheck): RecheckedCheck {
    this.log.info({ mirror: recheck.mirrorId, commit: recheck.commitId, key: recheck.key, job: recheck.jobId }, 'late object arrived: its check runs now');
    return recheck;
  }
}
