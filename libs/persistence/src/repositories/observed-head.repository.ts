import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { ObservedHeadEntity } from '../entities/observed-head.entity';
import type { Tx } from './database-session';

/** A source head as observed, in the order seen. */
export interface ObservedHead {
  commitId: string;
  sequence: number;
  observedAt: Date;
}

/** The observed_heads table: every source head seen per branch, until the mirror branch has passed it. */
@Injectable()
export class ObservedHeadRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private rows(tx: Tx) {
    return (tx ?? this.db.manager).getRepository(ObservedHeadEntity);
  }

  async append(mirrorId: string, branch: string, sequence: number, commitId: string, tx?: Tx): Promise<void> {
    await this.rows(tx).insert({ mirrorId, branch, sequence: String(sequence), commitId });
  }

  /** Observed heads of a branch newer than `afterSequence`, oldest first. */
  async after(mirrorId: string, branch: string, afterSequence: number, tx?: Tx): Promise<ObservedHead[]> {
    const rows = await this.rows(tx).find({ where: { mirrorId, branch, sequence: MoreThan(String(afterSequence)) }, order: { sequence: 'ASC' } });
    return rows.map((r) => ({ commitId: r.commitId, sequence: Number(r.sequence), observedAt: r.observedAt }));
  }

  async deleteBefore(mirrorId: string, branch: string, sequence: number, tx?: Tx): Promise<void> {
    await this.rows(tx).delete({ mirrorId, branch, sequence: LessThan(String(sequence)) });
  }

  /** The commits observed as heads of any of the mirror's branches and not yet cleared by a promotion. */
  async commitIds(mirrorId: string, tx?: Tx): Promise<string[]> {
    const rows = await this.rows(tx).createQueryBuilder('h').select('DISTINCT h.commit_id', 'commitId').where({ mirrorId }).getRawMany<{ commitId: string }>();
    return rows.map((r) => r.commitId);
  }

  async deleteBranch(mirrorId: string, branch: string, tx?: Tx): Promise<void> {
    await this.rows(tx).delete({ mirrorId, branch });
  }
}
