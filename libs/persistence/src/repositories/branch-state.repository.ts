import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { BranchStateEntity } from '../entities/branch-state.entity';
import { MirrorCommitEntity } from '../entities/mirror-commit.entity';
import { ObservedHeadEntity } from '../entities/observed-head.entity';
import type { Tx } from './database-session';

/** One branch of a mirror: the source head last observed (with its sequence) and what the mirror branch reflects. */
export interface BranchProgress {
  branch: string;
  sourceHead: string | null;
  observedSequence: number;
  mirroredHead: string | null;
  mirroredSequence: number;
}

function toProgress(row: BranchStateEntity): BranchProgress {
  return {
    branch: row.branch,
    sourceHead: row.sourceHead,
    observedSequence: Number(row.observedSequence),
    mirroredHead: row.mirroredHead,
    mirroredSequence: Number(row.mirroredSequence),
  };
}

/** The branch_states table: per mirror branch, the newest observation of the source and the one the mirror reflects. */
@Injectable()
export class BranchStateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private rows(tx: Tx) {
    return (tx ?? this.db.manager).getRepository(BranchStateEntity);
  }

  async all(mirrorId: string): Promise<BranchProgress[]> {
    return (await this.rows(undefined).find({ where: { mirrorId }, order: { branch: 'ASC' } })).map(toProgress);
  }

  /** Per mirror of `mirrorIds`, its branches as `all` answers them (a mirror without branches is left out): one query for many mirrors. */
  async allOfMirrors(mirrorIds: string[]): Promise<Map<string, BranchProgress[]>> {
    const byMirror = new Map<string, BranchProgress[]>();
    if (mirrorIds.length === 0) return byMirror;
    const rows = await this.rows(undefined).find({ where: { mirrorId: In(mirrorIds) }, order: { mirrorId: 'ASC', branch: 'ASC' } });
    for (const row of rows) {
      const branches = byMirror.get(row.mirrorId) ?? [];
      branches.push(toProgress(row));
      byMirror.set(row.mirrorId, branches);
    }
    return byMirror;
  }

  /** Per mirror of `mirrorIds`, each branch's last observed source head (a mirror without branches is left out): one query for many mirrors. */
  async sourceHeadsOf(mirrorIds: string[]): Promise<Map<string, Map<string, string>>> {
    const heads = new Map<string, Map<string, string>>();
    if (mirrorIds.length === 0) return heads;
    const rows: { mirror_id: string; branch: string; source_head: string | null }[] = await this.db.query(
      `SELECT mirror_id, branch, source_head FROM branch_states WHERE mirror_id = ANY($1)`,
      [mirrorIds],
    );
    for (const row of rows) {
      const branches = heads.get(row.mirror_id) ?? new Map<string, string>();
      branches.set(row.branch, row.source_head ?? '');
      heads.set(row.mirror_id, branches);
    }
    return heads;
  }

  /** Records `head` as the branch's next observation; returns its sequence number. */
  async advanceObserved(mirrorId: string, branch: string, head: string, tx?: Tx): Promise<number> {
    await this.rows(tx).createQueryBuilder().insert().values({ mirrorId, branch }).orIgnore().execute();
    const result = await this.rows(tx)
      .createQueryBuilder()
      .update()
      .set({ sourceHead: head, observedSequence: () => 'observed_sequence + 1' })
      .where('mirror_id = :mirrorId AND branch = :branch', { mirrorId, branch })
      .returning('observed_sequence')
      .execute();
    const [row] = result.raw as { observed_sequence: string }[];
    return Number(row.observed_sequence);
  }

  /** The branch's row, locked until the end of `tx` (SELECT ... FOR UPDATE); undefined when the branch is gone. */
  async lock(mirrorId: string, branch: string, tx: Tx): Promise<BranchProgress | undefined> {
    const row = await this.rows(tx).createQueryBuilder('b').setLock('pessimistic_write').where({ mirrorId, branch }).getOne();
    return row ? toProgress(row) : undefined;
  }

  async markMirrored(mirrorId: string, branch: string, head: string, sequence: number, tx?: Tx): Promise<void> {
    await this.rows(tx).update({ mirrorId, branch }, { mirroredHead: head, mirroredSequence: String(sequence) });
  }

  async delete(mirrorId: string, branch: string, tx?: Tx): Promise<void> {
    await this.rows(tx).delete({ mirrorId, branch });
  }

  /** Those of `mirrorIds` with a branch awaiting promotion (see awaitingPromotion): one query for many mirrors. */
  async mirrorsAwaitingPromotion(mirrorIds: string[]): Promise<Set<string>> {
    if (mirrorIds.length === 0) return new Set();
    const rows: { mirror_id: string }[] = await this.db.query(
      `SELECT DISTINCT b.mirror_id FROM branch_states b
         JOIN observed_heads h ON h.mirror_id = b.mirror_id AND h.branch = b.branch AND h.sequence = b.observed_sequence
         JOIN mirror_commits c ON c.mirror_id = b.mirror_id AND c.commit_id = h.commit_id AND c.state = 'recorded'
       WHERE b.mirror_id = ANY($1) AND b.mirrored_sequence < b.observed_sequence`,
      [mirrorIds],
    );
    return new Set(rows.map((r) => r.mirror_id));
  }

  /** Branches whose newest observed head is recorded on the mirror but not yet reflected by the mirror branch. */
  async awaitingPromotion(mirrorId: string): Promise<string[]> {
    const rows = await this.rows(undefined)
      .createQueryBuilder('b')
      .select('b.branch', 'branch')
      .innerJoin(ObservedHeadEntity, 'h', 'h.mirror_id = b.mirror_id AND h.branch = b.branch AND h.sequence = b.observed_sequence')
      .innerJoin(MirrorCommitEntity, 'c', `c.mirror_id = b.mirror_id AND c.commit_id = h.commit_id AND c.state = 'recorded'`)
      .where('b.mirror_id = :mirrorId AND b.mirrored_sequence < b.observed_sequence', { mirrorId })
      .getRawMany<{ branch: string }>();
    return rows.map((r) => r.branch);
  }
}
