import { Injectable } from '@nestjs/common';
import { CommitState } from '@lakemirror/mirroring';
import { MirrorCommitRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { PermanentPipelineError } from './pipeline.errors';
import { PipelineQueues } from './pipeline-queues';

export type CommitRetry = { outcome: 'retried'; generation: number } | { outcome: 'unknown-commit' } | { outcome: 'not-failed'; state: CommitState };

/**
 * Permanent failures of commits: recorded in PostgreSQL with their reason (the commit then holds
 * its branch and the reconciler leaves it alone), and retried on an operator's request.
 */
@Injectable()
export class CommitFailures {
  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  /**
   * Marks the failing commit failed: the error's own, or else the job's (a cause of the whole
   * mirror, such as its region). The job's generation fences a stale job, for its own commit
   * only. False when there is no commit to fail or it had moved on.
   */
  async record(error: PermanentPipelineError, job: { commitId?: string; generation?: number } = {}): Promise<boolean> {
    const commitId = error.commitId ?? job.commitId;
    // A job about the whole mirror (a scan): nothing to mark; its failure is logged as the job's.
    if (!commitId) return false;
    const generation = commitId === job.commitId ? job.generation : undefined;
    const marked = await this.commits.markFailed(error.mirrorId, commitId, { generation }, { reason: error.reason, error: error.message });
    if (marked) {
      this.log.error(
        { mirror: error.mirrorId, commit: commitId, generation, reason: error.reason, err: error },
        'commit failed for good: it holds its branch until an operator retries it',
      );
    }
    return marked;
  }

  /**
   * Plans a failed commit afresh, in a new generation with its failure cleared. Should adding the
   * job fail (Redis down), the commit is pending without a job, which the next scan's reconciler
   * repairs.
   */
  async retry(mirrorId: string, commitId: string): Promise<CommitRetry> {
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit) return { outcome: 'unknown-commit' };
    const generation = await this.commits.retry(mirrorId, commitId);
    if (generation === undefined) return { outcome: 'not-failed', state: (await this.commits.get(mirrorId, commitId))?.state ?? commit.state };
    const plan = { mirrorId, commitId, generation };
    await this.queues.add({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
    this.log.info({ mirror: mirrorId, commit: commitId, generation, previousReason: commit.failure?.reason }, 'failed commit retried: planned again');
    return { outcome: 'retried', generation };
  }
}
