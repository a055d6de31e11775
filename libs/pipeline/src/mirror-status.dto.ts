/** A mirror's status as the API returns it (JSON field names are part of the API). */

export interface BranchStatus {
  branch: string;
  source_head: string | null;
  mirrored_head: string | null;
  /** Source commits of the branch not yet recorded on the mirror (0 when only the branch move is pending). */
  lag_commits: number;
  /** Age of the oldest of them, or since the source head was observed when only the move is pending. */
  lag_seconds: number;
  up_to_date: boolean;
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
}

export interface MirrorStatus {
  mirror: string;
  /** True when some object has been missing longer than stall_after_seconds: replication needs a look. */
  stalled: boolean;
  stall_after_seconds: number;
  branches: BranchStatus[];
  in_flight: CommitInFlight[];
  /** Objects with full addresses (outside the namespace) in verified ranges: replication does not carry them. */
  objects_outside_namespace: number;
}
