/** A mirror's status as the API returns it (JSON field names are part of the API). */
import type { AuditSummary } from './audit-report';
import type { CommitFailureReason, StaleReason } from '@lakemirror/mirroring';

export interface BranchStatus {
  branch: string;
  source_head: string | null;
  mirrored_head: string | null;
  /** Source commits of the branch not yet recorded on the mirror (0 when only the branch move is pending). */
  lag_commits: number;
  /** Age of the oldest of them, or since the source head was observed when only the move is pending. */
  lag_seconds: number;
  up_to_date: boolean;
  /** Failed commits the branch needs: it stays short of its source head until each is retried and recorded. */
  held_by_failed_commits: string[];
  /** True when the mirror sets max_lag_seconds and the branch is staler than that (always false without it). */
  stale?: boolean;
  /** Why: "lag" (lag_seconds over max_lag_seconds) or "paused" (the mirror paused for longer than max_lag_seconds); null when fresh. */
  stale_reason?: StaleReason | null;
}

export interface MissingObjectStatus {
  key: string;
  missing_since: string;
  missing_for_seconds: number;
}

export interface CommitInFlight {
  commit_id: string;
  message: string;
  state: string;
  objects_checked: number;
  objects_total: number;
  missing_objects: MissingObjectStatus[];
  stalled: boolean;
  /** Set only when `state` is "failed": why (a closed list), the error, and since when. */
  failure_reason: CommitFailureReason | null;
  last_error: string | null;
  failed_at: string | null;
}

/** Whether one service of a region answered a probe. */
export interface ServiceReachability {
  reachable: boolean;
  /** Why not (time-out, refused connection, HTTP status), or null when reachable. */
  error: string | null;
}

/** Whether the mirror's region answers right now; probed when the status is asked, the answer reused for a few seconds. */
export interface RegionStatus {
  name: string;
  /** Both its lakeFS and its object store answered. While its object store does not, nothing is reported missing; while either does not, nothing is promoted. */
  reachable: boolean;
  lakefs: ServiceReachability;
  object_store: ServiceReachability;
  checked_at: string;
}

/** A source tag not on the mirror yet: its commit is not recorded there. */
export interface TagWaiting {
  tag: string;
  commit_id: string;
  /** Since when the source's tag points at this commit (ISO time). */
  since: string;
}

export interface MirrorStatus {
  mirror: string;
  /** A paused mirror is not scanned and its repository is not changed; commits in flight go on being verified. */
  paused?: boolean;
  /** Since when it is paused (ISO time), null while it runs. */
  paused_at?: string | null;
  /** How old a branch's lag may grow before the branch is stale; null: no limit. */
  max_lag_seconds?: number | null;
  /** True when some object has been missing longer than stall_after_seconds: replication needs a look. */
  stalled: boolean;
  stall_after_seconds: number;
  branches: BranchStatus[];
  in_flight: CommitInFlight[];
  /** Commits that failed for good and wait for an operator's retry (listed in in_flight with state "failed"). */
  failed_commits: number;
  /** Objects with full addresses (outside the namespace) in verified ranges: replication does not carry them. */
  objects_outside_namespace: number;
  /** The mirror region's reachability (absent when the mirror is gone). */
  region?: RegionStatus;
  /** Source tags waiting for their commit to be recorded on the mirror, oldest first (empty when the mirror does not mirror tags). */
  tags_waiting?: TagWaiting[];
  /** The mirror's most recent consistency audit (its progress while it runs), or null when it was never audited. */
  last_audit?: AuditSummary | null;
}
