import type { UnfinishedCommitState } from './commit-state';

/**
 * A job's state as BullMQ v5's `Queue.getJobState` reports it: "unknown" when Redis does not
 * hold the job (removed after it finished, or lost). A paused queue's jobs read as "waiting".
 */
export type QueueJobState = 'waiting' | 'waiting-children' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed' | 'unknown';

/** Why a commit needs a fresh verification, for the log. */
export type ReplanReason = 'job-failed' | 'job-finished-without-advancing' | 'job-gone';

/**
 * What the reconciler does for one unfinished commit: nothing (its job is alive), add its plan
 * job again (same generation and job ID), plan it afresh in a new generation (the old job IDs
 * are taken or its flow is broken), promote the mirror (the commit is verified), or hold it as
 * it is (it failed for good: only an operator's retry plans it again).
 */
export type ReconcileAction =
  { action: 'wait' } | { action: 'enqueue-plan' } | { action: 'replan'; reason: ReplanReason } | { action: 'promote' } | { action: 'hold' };

const WAIT: ReconcileAction = { action: 'wait' };

// Every state BullMQ can report, per commit state; the Record type makes a new one a compile error.
const BY_JOB_STATE: Record<Exclude<UnfinishedCommitState, 'verified' | 'failed'>, Record<QueueJobState, ReconcileAction>> = {
  pending: {
    waiting: WAIT,
    'waiting-children': WAIT,
    active: WAIT,
    delayed: WAIT,
    prioritized: WAIT,
    // The plan ran yet left the commit pending (its mirror was inactive, say); its job ID is taken.
    completed: { action: 'replan', reason: 'job-finished-without-advancing' },
    failed: { action: 'replan', reason: 'job-failed' },
    // Lost, or removed after finishing: the job ID is free again and the generation still current.
    unknown: { action: 'enqueue-plan' },
  },
  verifying: {
    waiting: WAIT,
    'waiting-children': WAIT,
    active: WAIT,
    delayed: WAIT,
    prioritized: WAIT,
    // The promoter marks the commit verified before its job completes, and a replan only applies to the state and generation read, so this never races it.
    completed: { action: 'replan', reason: 'job-finished-without-advancing' },
    failed: { action: 'replan', reason: 'job-failed' },
    // Lost with Redis, or removed after completing (and then the promoter had verified the commit).
    unknown: { action: 'replan', reason: 'job-gone' },
  },
};

/** Which job carries a commit's current step: the one whose state `reconcileAction` needs. */
export function jobToWatch(commitState: UnfinishedCommitState): 'plan-commit' | 'commit-verified' | undefined {
  if (commitState === 'pending') return 'plan-commit';
  if (commitState === 'verifying') return 'commit-verified';
  return undefined;
}

/**
 * What to do for an unfinished commit given the state of the job `jobToWatch` names for it. A
 * verified or failed commit has no job to watch; a pending or verifying one without a job state
 * is a caller's mistake (RangeError), never taken for a lost job.
 */
export function reconcileAction(commitState: UnfinishedCommitState, jobState: QueueJobState | undefined): ReconcileAction {
  if (commitState === 'verified') return { action: 'promote' };
  // Whatever is left of its jobs: replanning would only fail the same way again.
  if (commitState === 'failed') return { action: 'hold' };
  if (jobState === undefined) throw new RangeError(`a ${commitState} commit needs the state of its ${jobToWatch(commitState)} job`);
  return BY_JOB_STATE[commitState][jobState];
}
