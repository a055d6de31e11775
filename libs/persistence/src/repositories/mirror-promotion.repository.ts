import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DiscardedWork, MirrorPromotionEntity } from '../entities/mirror-promotion.entity';
import type { MirrorState } from '../entities/mirror.entity';

/** Verified work the mirror does not show yet: commits verified but not recorded, branches whose verified head is ahead of the mirror branch. */
export type VerifiedWorkNotOnMirror = Required<DiscardedWork>;

/** How a request to stop mirroring for a promotion ended. */
export type StopOutcome =
  | { outcome: 'stopped'; promotion: MirrorPromotionEntity }
  | { outcome: 'unknown-mirror' }
  | { outcome: 'not-active'; state: MirrorState }
  | { outcome: 'would-lose-work'; work: VerifiedWorkNotOnMirror };

export const hasVerifiedWork = (work: VerifiedWorkNotOnMirror): boolean => work.verifiedCommits.length > 0 || work.branches.length > 0;

/**
 * The mirror_promotions table, and the two transitions of the mirror row that a promotion makes
 * (active → promoting → promoted), each in the same transaction as the promotion row it goes with.
 */
@Injectable()
export class MirrorPromotionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private rows(tx?: EntityManager) {
    return (tx ?? this.db.manager).getRepository(MirrorPromotionEntity);
  }

  async find(mirrorId: string): Promise<MirrorPromotionEntity | undefined> {
    return (await this.rows().findOneBy({ mirrorId })) ?? undefined;
  }

  /**
   * Stops mirroring `mirrorId` for a promotion: under the mirror row's lock, unless it is not
   * active or (without `force`) verified work would be lost, records the promotion and turns the
   * mirror `promoting`, which every scanner, verifier and promoter skips from then on.
   */
  stopMirroring(mirrorId: string, requestedBy: string, force: boolean): Promise<StopOutcome> {
    return this.db.transaction(async (tx) => {
      const [mirror] = await tx.query<{ state: MirrorState }[]>(`SELECT state FROM mirrors WHERE id = $1 FOR UPDATE`, [mirrorId]);
      if (!mirror) return { outcome: 'unknown-mirror' };
      if (mirror.state !== 'active') return { outcome: 'not-active', state: mirror.state };
      const work = await this.verifiedWorkNotOnMirror(mirrorId, tx);
      if (!force && hasVerifiedWork(work)) return { outcome: 'would-lose-work', work };
      await this.rows(tx).insert({
        mirrorId,
        step: 'stopped',
        forced: force,
        requestedBy,
        requestedAt: new Date(),
        discarded: hasVerifiedWork(work) ? work : {},
        attempts: 0,
      });
      await tx.query(`UPDATE mirrors SET state = 'promoting', updated_at = now() WHERE id = $1`, [mirrorId]);
      return { outcome: 'stopped', promotion: (await this.rows(tx).findOneByOrFail({ mirrorId })) as MirrorPromotionEntity };
    });
  }

  /** Records the progress of a step; returns the row as it is now. */
  async update(mirrorId: string, changes: Partial<Omit<MirrorPromotionEntity, 'mirrorId' | 'updatedAt'>>): Promise<MirrorPromotionEntity> {
    await this.rows().update({ mirrorId }, changes);
    return this.rows().findOneByOrFail({ mirrorId });
  }

  /** The last step: the promotion is done and the mirror `promoted`, together. */
  complete(mirrorId: string): Promise<MirrorPromotionEntity> {
    return this.db.transaction(async (tx) => {
      await this.rows(tx).update({ mirrorId }, { step: 'done', completedAt: new Date(), lastError: null });
      await tx.query(`UPDATE mirrors SET state = 'promoted', updated_at = now() WHERE id = $1 AND state = 'promoting'`, [mirrorId]);
      return this.rows(tx).findOneByOrFail({ mirrorId });
    });
  }

  /** What the mirror would lose if it stopped now (read in `tx`, under the mirror row's lock). */
  async verifiedWorkNotOnMirror(mirrorId: string, tx?: EntityManager): Promise<VerifiedWorkNotOnMirror> {
    const db = tx ?? this.db.manager;
    const commits = await db.query<{ commit_id: string }[]>(
      `SELECT commit_id FROM mirror_commits WHERE mirror_id = $1 AND state = 'verified' ORDER BY creation_date, commit_id`,
      [mirrorId],
    );
    // Per branch, the newest observation after the one the mirror branch reflects whose commit is verified or recorded.
    const branches = await db.query<{ branch: string; mirrored_head: string | null; commit_id: string }[]>(
      `SELECT DISTINCT ON (b.branch) b.branch, b.mirrored_head, h.commit_id
         FROM branch_states b
         JOIN observed_heads h ON h.mirror_id = b.mirror_id AND h.branch = b.branch AND h.sequence > b.mirrored_sequence
         JOIN mirror_commits c ON c.mirror_id = h.mirror_id AND c.commit_id = h.commit_id AND c.state IN ('verified', 'recorded')
        WHERE b.mirror_id = $1 AND h.commit_id IS DISTINCT FROM b.mirrored_head
        ORDER BY b.branch, h.sequence DESC`,
      [mirrorId],
    );
    return {
      verifiedCommits: commits.map((c) => c.commit_id),
      branches: branches.map((b) => ({ branch: b.branch, mirroredHead: b.mirrored_head, verifiedHead: b.commit_id })),
    };
  }
}
