import { Injectable } from '@nestjs/common';
import { QueueJobState, ReconcileAction, jobToWatch, reconcileAction } from '@lakemirror/mirroring';
import { BranchStateRepository, MirrorCommitRepository, UnfinishedCursor, UnfinishedStep } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { JobToAdd, PipelineQueues } from './pipeline-queues';

/** Unfinished commits looked at per reconciliation of a mirror: a backlog is walked through over several scans, never at once. */
export const RECONCILED_PER_SCAN = 500;

interface Decision {
  step: UnfinishedStep;
  jobState?: QueueJobState;
  decision: ReconcileAction;
}

/**
 * Rebuilds work in flight from PostgreSQL: every commit not yet recorded must have a live job
 * for its current step, whatever happened to Redis or to the processes (the decision table is
 * `reconcileAction` in libs/mirroring). A commit whose job is gone or failed gets a fresh
 * verification in a new generation, so that its job IDs never collide with the old flow's
 * remains. A failed commit is left as it is, for an operator's retry. Safe to run at any time,
 * by any number of processes: every change is conditional on the state it saw.
 *
 * Its work per call is bounded: at most RECONCILED_PER_SCAN commits (one query), their job states
 * asked all at once, the jobs to add added in bulk and the replans made in one statement; the
 * next call goes on after the last commit this one saw, and starts over past the end.
 */
@Injectable()
export class ReconcilerService {
  /** Per mirror, where the last reconciliation stopped (per process: losing it only restarts the walk). */
  private readonly cursors = new Map<string, UnfinishedCursor>();

  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  async reconcile(mirrorId: string): Promise<void> {
    let promote = (await this.branches.awaitingPromotion(mirrorId)).length > 0;
    const steps = await this.nextSteps(mirrorId);
    const decisions = await this.decide(mirrorId, steps);
    if (decisions.some(({ decision }) => decision.action === 'promote')) promote = true;
    await this.act(mirrorId, decisions);
    if (promote) await this.promoteSoon(mirrorId);
  }

  /** Enqueues a promotion of the mirror unless one is already waiting. */
  async promoteSoon(mirrorId: string): Promise<void> {
    await this.queues.add({ name: 'promote-mirror', data: { mirrorId }, opts: { deduplication: { id: `promote-${mirrorId}` }, removeOnComplete: true } });
  }

  /** The next bounded piece of the mirror's unfinished commits, going on where the last call stopped. */
  private async nextSteps(mirrorId: string): Promise<UnfinishedStep[]> {
    const steps = await this.commits.unfinishedSteps(mirrorId, RECONCILED_PER_SCAN, this.cursors.get(mirrorId));
    const last = steps[steps.length - 1];
    if (steps.length < RECONCILED_PER_SCAN || !last) this.cursors.delete(mirrorId);
    else this.cursors.set(mirrorId, { discoveredAt: last.discoveredAt, commitId: last.commitId });
    return steps;
  }

  /** The decision for each step, with the states of the jobs watched asked all at once. */
  private async decide(mirrorId: string, steps: UnfinishedStep[]): Promise<Decision[]> {
    const watched = steps.map((step) => ({ step, job: jobToWatch(step.state) }));
    const ask = async (name: 'plan-commit' | 'commit-verified', id: (step: { mirrorId: string; commitId: string; generation: number }) => string) => {
      const asked = watched.filter((w) => w.job === name).map((w) => w.step);
      const states = await this.queues.jobStates(
        name,
        asked.map((step) => id({ mirrorId, ...step })),
      );
      return asked.map((step, i) => [step, states[i]] as const);
    };
    const [planned, verifying] = await Promise.all([ask('plan-commit', jobId.planCommit), ask('commit-verified', jobId.commitVerified)]);
    const jobStates = new Map<UnfinishedStep, QueueJobState>([...planned, ...verifying]);
    return steps.map((step) => {
      const jobState = jobStates.get(step);
      return { step, jobState, decision: reconcileAction(step.state, jobState) };
    });
  }

  /** Adds the lost plan jobs again and plans afresh the commits whose flow failed or is gone: one statement, one bulk add. */
  private async act(mirrorId: string, decisions: Decision[]): Promise<void> {
    const jobs: JobToAdd<'plan-commit'>[] = [];
    for (const { step, decision } of decisions) {
      if (decision.action !== 'enqueue-plan') continue;
      const plan = { mirrorId, commitId: step.commitId, generation: step.generation };
      jobs.push({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
      this.log.warn({ mirror: mirrorId, commit: step.commitId, generation: step.generation }, 'verification job was lost: enqueued again');
    }
    const toReplan = decisions.filter(({ decision }) => decision.action === 'replan');
    const replanned = await this.commits.replanMany(
      mirrorId,
      toReplan.map(({ step }) => step),
    );
    for (const { step, jobState, decision } of toReplan) {
      const next = replanned.get(step.commitId);
      if (next === undefined) continue; // someone else moved it on meanwhile
      const plan = { mirrorId, commitId: step.commitId, generation: next };
      jobs.push({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
      const reason = decision.action === 'replan' ? decision.reason : undefined;
      this.log.warn({ mirror: mirrorId, commit: step.commitId, generation: next, previous: jobState, reason }, 'verification restarted');
    }
    await this.queues.addBulk(jobs);
  }
}
