import { FreshnessRule, branchLag, branchStaleness, secondsSince } from '@lakemirror/mirroring';
import type { BranchProgress, MirrorEntity, UnrecordedCommit } from '@lakemirror/persistence';
import type { BranchStatus } from './mirror-status.dto';

/** When a branch counts as stale: the mirror's max_lag_seconds and how long it has been paused (none for a mirror that is gone). */
export function freshnessRuleOf(mirror: MirrorEntity | undefined, now: Date): FreshnessRule {
  return { maxLagSeconds: mirror?.maxLagSeconds ?? null, pausedForSeconds: secondsSince(mirror?.pausedAt ?? null, now.getTime()) };
}

/** Whether the branch's source head is not on the mirror branch: only then can commits behind it be unrecorded. */
export function isBehind(branch: BranchProgress): branch is BranchProgress & { sourceHead: string } {
  return branch.sourceHead !== null && branch.sourceHead !== branch.mirroredHead;
}

/** Whether the mirror branch reflects the newest observation of its source branch. */
export function isUpToDate(branch: BranchProgress): boolean {
  return branch.mirroredSequence >= branch.observedSequence;
}

/**
 * One branch's status from what was read for it: the unrecorded commits its source head needs
 * (oldest first) and, for a branch not up to date, when the oldest head still pending was observed.
 */
export function branchStatusFrom(
  branch: BranchProgress,
  unrecorded: readonly UnrecordedCommit[],
  pendingObservedAt: Date | undefined,
  now: Date,
  rule: FreshnessRule,
): BranchStatus {
  const lag = branchLag(
    unrecorded.map((c) => ({ creation_date: c.creationDate })),
    now.getTime(),
  );
  const upToDate = isUpToDate(branch);
  // Only the branch move is pending: its lag counts from when the head it moves to was observed.
  if (!upToDate && lag.commits === 0 && pendingObservedAt) {
    lag.seconds = Math.max(0, Math.floor((now.getTime() - pendingObservedAt.getTime()) / 1000));
  }
  const staleness = branchStaleness(lag, rule);
  return {
    branch: branch.branch,
    source_head: branch.sourceHead,
    mirrored_head: branch.mirroredHead,
    lag_commits: lag.commits,
    lag_seconds: lag.seconds,
    up_to_date: upToDate,
    held_by_failed_commits: unrecorded.filter((c) => c.state === 'failed').map((c) => c.commitId),
    stale: staleness.stale,
    stale_reason: staleness.reason,
  };
}
