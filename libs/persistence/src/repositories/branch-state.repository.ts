import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
