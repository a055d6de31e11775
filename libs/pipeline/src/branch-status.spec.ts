import type { BranchProgress, UnrecordedCommit } from '@lakemirror/persistence';
import { branchStatusFrom, freshnessRuleOf, isBehind, isUpToDate } from './branch-status';

const now = new Date('2026-11-26T04:00:00.000Z');
const nowSeconds = now.getTime() / 1000;
const noLimit = { maxLagSeconds: null, pausedForSeconds: null };

function progress(fields: Partial<BranchProgress>): BranchProgress {
  return { branch: 'main', sourceHead: 'c2', observedSequence: 2, mirroredHead: 'c2', mirroredSequence: 2, ...fields };
}

describe('branch status', () => {
  it('shows an up-to-date branch without lag', () => {
    const branch = progress({});
    expect(isBehind(branch)).toBe(false);
    expect(branchStatusFrom(branch, [], undefined, now, noLimit)).toEqual({
      branch: 'main',
      source_head: 'c2',
      mirrored_head: 'c2',
      lag_commits: 0,
      lag_seconds: 0,
      up_to_date: true,
      held_by_failed_commits: [],
      stale: false,
      stale_reason: null,
    });
  });

  it('counts the unrecorded commits behind the head, from the oldest, and names the failed ones holding it', () => {
    const branch = progress({ sourceHead: 'c3', observedSequence: 3, mirroredHead: 'c1', mirroredSequence: 1 });
    const unrecorded: UnrecordedCommit[] = [
      { commitId: 'c2', creationDate: nowSeconds - 90, state: 'failed' },
      { commitId: 'c3', creationDate: nowSeconds - 30, state: 'verified' },
    ];
    expect(isBehind(branch)).toBe(true);
    expect(branchStatusFrom(branch, unrecorded, new Date(now.getTime() - 5_000), now, { maxLagSeconds: 60, pausedForSeconds: null })).toMatchObject({
      lag_commits: 2,
      lag_seconds: 90,
      up_to_date: false,
      held_by_failed_commits: ['c2'],
      stale: true,
      stale_reason: 'lag',
    });
  });

  it('counts the lag of a pending branch move from when its head was observed', () => {
    const branch = progress({ sourceHead: 'c3', observedSequence: 3, mirroredSequence: 2 });
    expect(isUpToDate(branch)).toBe(false);
    const status = branchStatusFrom(branch, [], new Date(now.getTime() - 12_500), now, noLimit);
    expect([status.lag_commits, status.lag_seconds, status.up_to_date]).toEqual([0, 12, false]);
    expect(branchStatusFrom(branch, [], undefined, now, noLimit).lag_seconds).toBe(0);
  });

  it('takes the rule from the mirror: its limit and how long it has been paused; none for a mirror that is gone', () => {
    const mirror = { maxLagSeconds: 30, pausedAt: new Date(now.getTime() - 45_000) } as Parameters<typeof freshnessRuleOf>[0];
    expect(freshnessRuleOf(mirror, now)).toEqual({ maxLagSeconds: 30, pausedForSeconds: 45 });
    expect(freshnessRuleOf(undefined, now)).toEqual(noLimit);
    expect(branchStatusFrom(progress({}), [], undefined, now, freshnessRuleOf(mirror, now))).toMatchObject({ stale: true, stale_reason: 'paused' });
  });
});
