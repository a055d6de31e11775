import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CommitState } from '@lakemirror/mirroring';

/** A mirror branch whose source head is not its mirrored head. */
export interface BranchBehind {
  mirrorId: string;
  branch: string;
  sourceHead: string;
}

/** A mirror branch whose mirror lags its observations: heads observed after `mirroredSequence` are pending. */
export interface BranchPending {
  mirrorId: string;
  branch: string;
  mirroredSequence: number;
}

/** A commit not recorded on the mirror, with its state: one of those a branch lags behind. */
export interface UnrecordedCommit {
  commitId: string;
  creationDate: number;
  state: CommitState;
}

/** The key the answers below are mapped by: a mirror branch. */
export function mirrorBranchKey(mirrorId: string, branch: string): string {
  return `${mirrorId}\u0000${branch}`;
}

/**
 * Reads for the status of many branches at once (status, freshness, lag history): one query for
 * all the branches that would otherwise take one each.
 */
@Injectable()
export class StatusQueriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Per branch (by mirrorBranchKey), the commits not recorded on the mirror that its source head
   * needs: the head itself and its unrecorded ancestors, oldest first (as
   * MirrorCommitRepository.unrecordedBehindWithState answers for one branch). Branches with none are left out.
   */
  async unrecordedBehind(branches: BranchBehind[]): Promise<Map<string, UnrecordedCommit[]>> {
    const behind = new Map<string, UnrecordedCommit[]>();
    if (branches.length === 0) return behind;
    const rows: { mirror_id: string; branch: string; commit_id: string; creation_date: string; state: CommitState }[] = await this.db.query(
      `WITH RECURSIVE heads (mirror_id, branch, head) AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[])),
       behind (mirror_id, branch, commit_id) AS (
         SELECT h.mirror_id, h.branch, c.commit_id FROM heads h
           JOIN mirror_commits c ON c.mirror_id = h.mirror_id AND c.commit_id = h.head AND c.state <> 'recorded'
         UNION
         SELECT b.mirror_id, b.branch, p.commit_id FROM behind b
           JOIN mirror_commits c ON c.mirror_id = b.mirror_id AND c.commit_id = b.commit_id
           JOIN mirror_commits p ON p.mirror_id = b.mirror_id AND p.commit_id = ANY (c.parents) AND p.state <> 'recorded')
       SELECT behind.mirror_id, behind.branch, m.commit_id, m.creation_date, m.state FROM behind
         JOIN mirror_commits m ON m.mirror_id = behind.mirror_id AND m.commit_id = behind.commit_id
       ORDER BY behind.mirror_id, behind.branch, m.creation_date, m.commit_id`,
      [branches.map((b) => b.mirrorId), branches.map((b) => b.branch), branches.map((b) => b.sourceHead)],
    );
    for (const row of rows) {
      const key = mirrorBranchKey(row.mirror_id, row.branch);
      const commits = behind.get(key) ?? [];
      commits.push({ commitId: row.commit_id, creationDate: Number(row.creation_date), state: row.state });
      behind.set(key, commits);
    }
    return behind;
  }

  /**
   * Per branch (by mirrorBranchKey), when the oldest head observed after its mirrored sequence
   * was observed (the first of ObservedHeadRepository.after). Branches with none are left out.
   */
  async firstPendingObservedAt(branches: BranchPending[]): Promise<Map<string, Date>> {
    const pending = new Map<string, Date>();
    if (branches.length === 0) return pending;
    const rows: { mirror_id: string; branch: string; observed_at: Date }[] = await this.db.query(
      `SELECT DISTINCT ON (h.mirror_id, h.branch) h.mirror_id, h.branch, h.observed_at
         FROM unnest($1::text[], $2::text[], $3::bigint[]) AS b (mirror_id, branch, mirrored_sequence)
         JOIN observed_heads h ON h.mirror_id = b.mirror_id AND h.branch = b.branch AND h.sequence > b.mirrored_sequence
       ORDER BY h.mirror_id, h.branch, h.sequence`,
      [branches.map((b) => b.mirrorId), branches.map((b) => b.branch), branches.map((b) => String(b.mirroredSequence))],
    );
    for (const row of rows) pending.set(mirrorBranchKey(row.mirror_id, row.branch), row.observed_at);
    return pending;
  }
}
