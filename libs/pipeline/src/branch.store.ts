import type { ObservedHead } from '@lakemirror/mirroring';
import type { DataSource, EntityManager } from 'typeorm';

/** One branch of a mirror: the source head last observed (with its sequence) and what the mirror branch reflects. */
export interface BranchProgress {
  branch: string;
  sourceHead: string | null;
  observedSequence: number;
  mirroredHead: string | null;
  mirroredSequence: number;
}

interface BranchRow {
  branch: string;
  source_head: string | null;
  observed_sequence: string;
  mirrored_head: string | null;
  mirrored_sequence: string;
}

function toProgress(row: BranchRow): BranchProgress {
  return {
    branch: row.branch,
    sourceHead: row.source_head,
    observedSequence: Number(row.observed_sequence),
    mirroredHead: row.mirrored_head,
    mirroredSequence: Number(row.mirrored_sequence),
  };
}

/** Branch heads as observed on the source, in order, and the mirror branch's progress through them. */
export class BranchStore {
  constructor(private readonly db: DataSource) {}

  async all(mirrorId: string): Promise<BranchProgress[]> {
    const rows: BranchRow[] = await this.db.query(`SELECT * FROM branch_states WHERE mirror_id = $1 ORDER BY branch`, [mirrorId]);
    return rows.map(toProgress);
  }

  /** Records that the source branch now points at `head`, as the next observation of that branch. */
  async observe(mirrorId: string, branch: string, head: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO branch_states (mirror_id, branch) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [mirrorId, branch]);
      const [[row]]: [BranchRow[], number] = await tx.query(
        `UPDATE branch_states SET source_head = $3, observed_sequence = observed_sequence + 1, updated_at = now()
         WHERE mirror_id = $1 AND branch = $2 RETURNING observed_sequence`,
        [mirrorId, branch, head],
      );
      const sequence = Number(row.observed_sequence);
      await tx.query(`INSERT INTO observed_heads (mirror_id, branch, sequence, commit_id) VALUES ($1, $2, $3, $4)`, [mirrorId, branch, sequence, head]);
      return sequence;
    });
  }

  /** Observed heads of a branch newer than `afterSequence`, oldest first. */
  async observedAfter(mirrorId: string, branch: string, afterSequence: number, db: DataSource | EntityManager = this.db): Promise<(ObservedHead & { observedAt: Date })[]> {
    const rows: { commit_id: string; sequence: string; observed_at: Date }[] = await db.query(
      `SELECT commit_id, sequence, observed_at FROM observed_heads WHERE mirror_id = $1 AND branch = $2 AND sequence > $3 ORDER BY sequence`,
      [mirrorId, branch, afterSequence],
    );
    return rows.map((r) => ({ commitId: r.commit_id, sequence: Number(r.sequence), observedAt: r.observed_at }));
  }

  /**
   * Runs `work` holding the branch's row lock (SELECT ... FOR UPDATE): every move or deletion of
   * a mirror branch happens under it, so a late or concurrent promoter sees the row as it is
   * now, never as it was when its job started. `work` gets undefined when the branch is gone.
   */
  async withLockedBranch<T>(mirrorId: string, branch: string, work: (progress: BranchProgress | undefined, tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const rows: BranchRow[] = await tx.query(`SELECT * FROM branch_states WHERE mirror_id = $1 AND branch = $2 FOR UPDATE`, [mirrorId, branch]);
      return work(rows[0] && toProgress(rows[0]), tx);
    });
  }

  /** Within a locked branch: the mirror branch now points at `head`, the observation `sequence`; older observations are dropped. */
  async markMirrored(tx: EntityManager, mirrorId: string, branch: string, head: string, sequence: number): Promise<void> {
    await tx.query(`UPDATE branch_states SET mirrored_head = $3, mirrored_sequence = $4, updated_at = now() WHERE mirror_id = $1 AND branch = $2`, [mirrorId, branch, head, sequence]);
    await tx.query(`DELETE FROM observed_heads WHERE mirror_id = $1 AND branch = $2 AND sequence < $3`, [mirrorId, branch, sequence]);
  }

  /** Within a locked branch: forgets a branch deleted on the source. */
  async forget(tx: EntityManager, mirrorId: string, branch: string): Promise<void> {
    await tx.query(`DELETE FROM observed_heads WHERE mirror_id = $1 AND branch = $2`, [mirrorId, branch]);
    await tx.query(`DELETE FROM branch_states WHERE mirror_id = $1 AND branch = $2`, [mirrorId, branch]);
  }

  /** Branches whose newest observed head is recorded but not yet reflected by the mirror branch. */
  async awaitingPromotion(mirrorId: string): Promise<string[]> {
    const rows: { branch: string }[] = await this.db.query(
      `SELECT b.branch FROM branch_states b
       JOIN observed_heads h ON h.mirror_id = b.mirror_id AND h.branch = b.branch AND h.sequence = b.observed_sequence
       JOIN mirror_commits c ON c.mirror_id = b.mirror_id AND c.commit_id = h.commit_id AND c.state = 'recorded'
       WHERE b.mirror_id = $1 AND b.mirrored_sequence < b.observed_sequence`,
      [mirrorId],
    );
    return rows.map((r) => r.branch);
  }
}
