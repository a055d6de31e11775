import type { BranchLag } from './branch-lag';

/** Why a branch is stale: its lag is over the limit, or the mirror has been paused longer than the limit. */
export type StaleReason = 'lag' | 'paused';

/** The freshness rule of a mirror: its limit, and how long it has been paused (null when it is not). */
export interface FreshnessRule {
  /** The mirror's max_lag_seconds; null when it sets none (a branch is then never stale). */
  maxLagSeconds: number | null;
  /** Seconds since the mirror was paused, or null while it runs. */
  pausedForSeconds: number | null;
}

export type Staleness = { stale: false; reason: null } | { stale: true; reason: StaleReason };

/**
 * Whether a mirror branch is staler than its mirror allows: the oldest source commit it lacks
 * is more than max_lag_seconds old. A paused mirror is not scanned, so source commits made
 * since the pause are unknown to its lag: once paused for longer than the limit, its
 * freshness can no longer be vouched for and every branch counts as stale.
 */
export function branchStaleness(lag: BranchLag, rule: FreshnessRule): Staleness {
  if (rule.maxLagSeconds === null) return { stale: false, reason: null };
  if (lag.seconds > rule.maxLagSeconds) return { stale: true, reason: 'lag' };
  if (rule.pausedForSeconds !== null && rule.pausedForSeconds > rule.maxLagSeconds) return { stale: true, reason: 'paused' };
  return { stale: false, reason: null };
}

/** Seconds from `since` to `nowMs` (0 for a time in the future: clock skew), or null without `since`. */
export function secondsSince(since: Date | null, nowMs: number): number | null {
  return since === null ? null : Math.max(0, Math.floor((nowMs - since.getTime()) / 1000));
}
