/** A mirror's status as the API returns it (JSON field names are part of the API). */
import type { CommitFailureReason } from '@lakemirror/mirroring';

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

export interface MirrorStatus {
  mirror: string;
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
}
