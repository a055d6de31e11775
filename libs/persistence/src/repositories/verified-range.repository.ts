import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { CommitChunkEntity } from '../entities/commit-chunk.entity';
import { VerifiedRangeEntity } from '../entities/verified-range.entity';

/** The verified_ranges table: range files whose every object a mirror has found in its namespace. */
@Injectable()
export class VerifiedRangeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(VerifiedRangeEntity);
  }

  /** Which of `rangeIds` this mirror has verified before (range IDs are content hashes: once is enough). */
  async verified(mirrorId: string, rangeIds: string[]): Promise<Set<string>> {
    if (rangeIds.length === 0) return new Set();
    const rows = await this.rows.find({ where: { mirrorId, rangeId: In(rangeIds) }, select: { rangeId: true } });
    return new Set(rows.map((r) => r.rangeId));
  }

  /** Once every chunk of `rangeId` is checked for this commit, the range joins the mirror's verified ranges. */
  async addWhenAllChunksChecked(mirrorId: string, commitId: string, rangeId: string): Promise<void> {
    const totals = await this.db
      .getRepository(CommitChunkEntity)
      .createQueryBuilder('k')
      .select('sum(k.objects)', 'objects')
      .addSelect('sum(k.full_address_objects)', 'full_address_objects')
      .addSelect('bool_and(k.checked_at IS NOT NULL)', 'all_checked')
      .where({ mirrorId, commitId, rangeId })
      .getRawOne<{ objects: string | null; full_address_objects: string | null; all_checked: boolean | null }>();
    if (!totals?.all_checked) return;
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({ mirrorId, rangeId, objects: Number(totals.objects), fullAddressObjects: Number(totals.full_address_objects) })
      .orIgnore()
      .execute();
  }

  /** Objects with full addresses (outside the namespace) in the mirror's verified ranges. */
  async fullAddressObjects(mirrorId: string): Promise<number> {
    const row = await this.rows.createQueryBuilder('v').select('coalesce(sum(v.full_address_objects), 0)', 'n').where({ mirrorId }).getRawOne<{ n: string }>();
    return Number(row?.n ?? 0);
  }
}
