import { jobId } from '@lakemirror/queues';
import type { Logger } from 'pino';
import type { BranchStore } from './branch.store';
import type { CommitStore, MirrorCommit } from './commit.store';
import type { PipelineQueues } from './pipeline-queues';

/** States in which a job is alive: it will run, or is running, or waits for its children. */
const ALIVE = new Set(['waiting', 'waiting-children', 'active', 'delayed', 'prioritized']);

/**
 * Rebuilds work in flight from PostgreSQL: every commit not yet recorded must have a live job
 * for its current step, whatever happened to Redis or to the processes. A commit whose job is
 * gone (Redis lost it) or failed (a check ran out of retries) gets a fresh verification, in a
 * new generation so that its job IDs never collide with the old flow's remains. Safe to run
 * at any time, by any number of processes: every change is conditional on the state it saw.
 */
export class Reconciler {
  constructor(
    private readonly commits: CommitStore,
    private readonly branches: BranchStore,
    private readonly queues: PipelineQueues,
    private readonly log: Logger,
  ) {}

  async reconcile(mirrorId: string): Promise<void> {
    let promote = (await this.branches.awaitingPromotion(mirrorId)).length > 0;
    for (const commit of await this.commits.unfinished(mirrorId)) {
      if (commit.state === 'verified') promote = true;
      else await this.ensureVerification(commit);
    }
    if (promote) await this.promoteSoon(mirrorId);
  }

  /** Enqueues a promotion of the mirror unless one is already waiting. */
  async promoteSoon(mirrorId: string): Promise<void> {
    await this.queues.add({ name: 'promote-mirror', data: { mirrorId }, opts: { deduplication: { id: `promote-${mirrorId}` }, removeOnComplete: true } });
  }

  private async ensureVerification(commit: MirrorCommit): Promise<void> {
    const { mirrorId, commitId, generation } = commit;
    const step = { mirrorId, commitId, generation };
    const state =
      commit.state === 'pending' ? await this.queues.jobState('plan-commit', jobId.planCommit(step)) : await this.queues.jobState('commit-verified', jobId.commitVerified(step));
    if (ALIVE.has(state)) return;
    if (commit.state === 'pending' && state === 'unknown') {
      await this.queues.add({ name: 'plan-commit', data: step, opts: { jobId: jobId.planCommit(step) } });
      this.log.warn({ mirror: mirrorId, commit: commitId, generation }, 'verification job was lost: enqueued again');
      return;
    }
    // The flow failed (a check ran out of retries) or is gone: plan it afresh.
    const next = await this.commits.replan(mirrorId, commitId, { state: commit.state, generation });
    if (next === undefined) return; // someone else moved it on meanwhile
    const plan = { mirrorId, commitId, generation: next };
    await this.queues.add({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
    this.log.warn({ mirror: mirrorId, commit: commitId, generation: next, previous: state }, 'verification restarted');
  }
}
