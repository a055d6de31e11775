import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
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
    // One statement on the verifier's hot path: the check of the chunks and the insert together.
    await this.db.query(
      `INSERT INTO verified_ranges (mirror_id, range_id, objects, full_address_objects)
       SELECT $1::varchar, $3::varchar, sum(objects), sum(full_address_objects) FROM commit_chunks
       WHERE mirror_id = $1 AND commit_id = $2 AND range_id = $3
       HAVING bool_and(checked_at IS NOT NULL)
       ON CONFLICT DO NOTHING`,
      [mirrorId, commitId, rangeId],
    );
  }

  /** addWhenAllChunksChecked for many ranges of one commit, in one statement. */
  async addManyWhenAllChunksChecked(mirrorId: string, commitId: string, rangeIds: string[]): Promise<void> {
    if (rangeIds.length === 0) return;
    await this.db.query(
      `INSERT INTO verified_ranges (mirror_id, range_id, objects, full_address_objects)
       SELECT $1::varchar, range_id, sum(objects), sum(full_address_objects) FROM commit_chunks
       WHERE mirror_id = $1 AND commit_id = $2 AND range_id = ANY ($3::varchar[])
       GROUP BY range_id
       HAVING bool_and(checked_at IS NOT NULL)
       ON CONFLICT DO NOTHING`,
      [mirrorId, commitId, rangeIds],
    );
  }

  /** Objects with full addresses (outside the namespace) in the mirror's verified ranges. */
  async fullAddressObjects(mirrorId: string): Promise<number> {
    const row = await this.rows.createQueryBuilder('v').select('coalesce(sum(v.full_address_objects), 0)', 'n').where({ mirrorId }).getRawOne<{ n: string }>();
    return Number(row?.n ?? 0);
  }
}
