import { branchLag, updateMissingObjects } from '@lakemirror/mirroring';
import type { DataSource } from 'typeorm';
import type { BranchStore } from './branch.store';
import type { CommitStore } from './commit.store';
import type { VerificationStore } from './verification.store';

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

/** The status of a mirror for people: per branch how far behind, per commit in flight how far along and what is missing. */
export class StatusService {
  constructor(
    private readonly db: DataSource,
    private readonly commits: CommitStore,
    private readonly branches: BranchStore,
    private readonly verification: VerificationStore,
    private readonly stallAfterSeconds: number,
  ) {}

  async mirrorStatus(mirrorId: string, now = new Date()): Promise<MirrorStatus> {
    const branches = await Promise.all((await this.branches.all(mirrorId)).map((b) => this.branchStatus(mirrorId, b, now)));
    const progress = await this.verification.progressOfUnfinished(mirrorId);
    const missingByCommit = await this.verification.missingByCommit(mirrorId);
    const inFlight: CommitInFlight[] = [];
    for (const commit of await this.commits.unfinished(mirrorId)) {
      const missing = missingByCommit.get(commit.commitId) ?? [];
      const objects = updateMissingObjects(missing, missing.map((m) => m.key), now, this.stallAfterSeconds).verdict;
      const { checked, total } = progress.get(commit.commitId) ?? { checked: 0, total: 0 };
      inFlight.push({
        commit_id: commit.commitId,
        message: commit.sourceCommit.message,
        state: commit.state,
        objects_checked: checked,
        objects_total: total,
        missing_objects: objects.objects.map((o) => ({ key: o.key, missing_since: o.missingSince.toISOString(), missing_for_seconds: o.missingForSeconds })),
        stalled: objects.stalled,
      });
    }
    const [outside] = await this.db.query(`SELECT coalesce(sum(full_address_objects), 0)::bigint AS n FROM verified_ranges WHERE mirror_id = $1`, [mirrorId]);
    return {
      mirror: mirrorId,
      stalled: inFlight.some((c) => c.stalled),
      stall_after_seconds: this.stallAfterSeconds,
      branches,
      in_flight: inFlight,
      objects_outside_namespace: Number(outside.n),
    };
  }

  private async branchStatus(mirrorId: string, branch: Awaited<ReturnType<BranchStore['all']>>[number], now: Date): Promise<BranchStatus> {
    // Commits reachable from the source head through parents, stopping at recorded ones.
    const unrecorded: { creation_date: string }[] = branch.sourceHead
      ? await this.db.query(
          `WITH RECURSIVE behind (commit_id) AS (
             SELECT commit_id FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2 AND state <> 'recorded'
             UNION
             SELECT p.commit_id FROM behind b
               JOIN mirror_commits c ON c.mirror_id = $1 AND c.commit_id = b.commit_id
               JOIN mirror_commits p ON p.mirror_id = $1 AND p.commit_id = ANY (c.parents) AND p.state <> 'recorded')
           SELECT m.creation_date FROM behind JOIN mirror_commits m ON m.mirror_id = $1 AND m.commit_id = behind.commit_id`,
          [mirrorId, branch.sourceHead],
        )
      : [];
    const lag = branchLag(unrecorded.map((c) => ({ creation_date: Number(c.creation_date) })), now.getTime());
    const upToDate = branch.mirroredSequence >= branch.observedSequence;
    if (!upToDate && lag.commits === 0) {
      const [pending] = await this.branches.observedAfter(mirrorId, branch.branch, branch.mirroredSequence);
      if (pending) lag.seconds = Math.max(0, Math.floor((now.getTime() - pending.observedAt.getTime()) / 1000));
    }
    return {
      branch: branch.branch,
      source_head: branch.sourceHead,
      mirrored_head: branch.mirroredHead,
      lag_commits: lag.commits,
      lag_seconds: lag.seconds,
      up_to_date: upToDate,
    };
  }
}
