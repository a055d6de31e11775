import type { Queue } from 'bullmq';
import { jobToWatch, reconcileAction } from './reconcile-action';

/** What BullMQ itself says getJobState can return: the table below must list every one of them. */
type BullmqJobState = Awaited<ReturnType<Queue['getJobState']>>;

// Written out independently of the implementation; a state BullMQ adds is a compile error here.
const expected: Record<'pending' | 'verifying', Record<BullmqJobState, string>> = {
  pending: {
    waiting: 'wait',
    'waiting-children': 'wait',
    active: 'wait',
    delayed: 'wait',
    prioritized: 'wait',
    completed: 'replan:job-finished-without-advancing',
    failed: 'replan:job-failed',
    unknown: 'enqueue-plan',
  },
  verifying: {
    waiting: 'wait',
    'waiting-children': 'wait',
    active: 'wait',
    delayed: 'wait',
    prioritized: 'wait',
    completed: 'replan:job-finished-without-advancing',
    failed: 'replan:job-failed',
    unknown: 'replan:job-gone',
  },
};

const rows = Object.entries(expected).flatMap(([commitState, byJob]) =>
  Object.entries(byJob).map(([jobState, action]) => [commitState as 'pending' | 'verifying', jobState as BullmqJobState, action] as const),
);

describe('reconcileAction', () => {
  it.each(rows)('a %s commit whose job is %s: %s', (commitState, jobState, action) => {
    const decision = reconcileAction(commitState, jobState);
    expect(decision.action === 'replan' ? `replan:${decision.reason}` : decision.action).toBe(action);
  });

  it('promotes a verified commit whatever is left of its jobs', () => {
    expect(reconcileAction('verified', undefined)).toEqual({ action: 'promote' });
    expect(reconcileAction('verified', 'failed')).toEqual({ action: 'promote' });
  });

  it('holds a failed commit whatever is left of its jobs: only an operator retries it', () => {
    for (const jobState of ['failed', 'completed', 'unknown', 'waiting', 'active'] as const) {
      expect(reconcileAction('failed', jobState)).toEqual({ action: 'hold' });
    }
    expect(reconcileAction('failed', undefined)).toEqual({ action: 'hold' });
  });

  it('refuses to guess when a commit that has a job comes without its state', () => {
    expect(() => reconcileAction('pending', undefined)).toThrow(RangeError);
    expect(() => reconcileAction('pending', undefined)).toThrow('a pending commit needs the state of its plan-commit job');
    expect(() => reconcileAction('verifying', undefined)).toThrow('a verifying commit needs the state of its commit-verified job');
  });
});

describe('jobToWatch', () => {
  it.each([
    ['pending', 'plan-commit'],
    ['verifying', 'commit-verified'],
    ['verified', undefined],
    ['failed', undefined],
  ] as const)('a %s commit: %s', (commitState, job) => {
    expect(jobToWatch(commitState)).toBe(job);
  });
});
