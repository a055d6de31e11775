import { Injectable } from '@nestjs/common';
import { jobToWatch, reconcileAction } from '@lakemirror/mirroring';
import { BranchStateRepository, MirrorCommit, MirrorCommitRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { PipelineQueues } from './pipeline-queues';

/**
 * Rebuilds work in flight from PostgreSQL: every commit not yet recorded must have a live job
 * for its current step, whatever happened to Redis or to the processes (the decision table is
 * `reconcileAction` in libs/mirroring). A commit whose job is gone or failed gets a fresh
 * verification in a new generation, so that its job IDs never collide with the old flow's
 * remains. A failed commit is left as it is, for an operator's retry. Safe to run at any time,
 * by any number of processes: every change is conditional on the state it saw.
 */
@Injectable()
export class ReconcilerService {
  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  async reconcile(mirrorId: string): Promise<void> {
    let promote = (await this.branches.awaitingPromotion(mirrorId)).length > 0;
    for (const commit of await this.commits.unfinished(mirrorId)) {
      if (await this.reconcileCommit(commit)) promote = true;
    }
    if (promote) await this.promoteSoon(mirrorId);
  }

  /** Enqueues a promotion of the mirror unless one is already waiting. */
  async promoteSoon(mirrorId: string): Promise<void> {
    await this.queues.add({ name: 'promote-mirror', data: { mirrorId }, opts: { deduplication: { id: `promote-${mirrorId}` }, removeOnComplete: true } });
  }

  /** Acts on one unfinished commit; true when it is ready for promotion. */
  private async reconcileCommit(commit: MirrorCommit): Promise<boolean> {
    if (commit.state === 'recorded') return false;
    const { mirrorId, commitId, generation } = commit;
    const step = { mirrorId, commitId, generation };
    const watched = jobToWatch(commit.state);
    const jobState = watched && (await this.queues.jobState(watched, watched === 'plan-commit' ? jobId.planCommit(step) : jobId.commitVerified(step)));
    const decision = reconcileAction(commit.state, jobState);
    switch (decision.action) {
      case 'wait':
      case 'hold':
        return false;
      case 'promote':
        return true;
      case 'enqueue-plan':
        await this.queues.add({ name: 'plan-commit', data: step, opts: { jobId: jobId.planCommit(step) } });
        this.log.warn({ mirror: mirrorId, commit: commitId, generation }, 'verification job was lost: enqueued again');
        return false;
      case 'replan': {
        const next = await this.commits.replan(mirrorId, commitId, { state: commit.state, generation });
        if (next === undefined) return false; // someone else moved it on meanwhile
        const plan = { mirrorId, commitId, generation: next };
        await this.queues.add({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
        this.log.warn({ mirror: mirrorId, commit: commitId, generation: next, previous: jobState, reason: decision.reason }, 'verification restarted');
        return false;
      }
    }
  }
}
