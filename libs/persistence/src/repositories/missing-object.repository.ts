import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MissingObjectEntity } from '../entities/missing-object.entity';

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_BATCH = 5_000;

export interface MissingObject {
  key: string;
  missingSince: Date;
}

/** The missing_objects table: what each check of a commit did not find in the mirror namespace, since when. */
@Injectable()
export class MissingObjectRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(MissingObjectEntity);
  }

  /**
   * What one check (`checkedBy`) found missing now: each key keeps the time it was first seen
   * missing; keys this check no longer misses are forgotten.
   */
  async record(mirrorId: string, commitId: string, checkedBy: string, missingKeys: string[]): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .delete()
      .where({ mirrorId, commitId, checkedBy })
      .andWhere('NOT (key = ANY (:missingKeys))', { missingKeys })
      .execute();
    for (let start = 0; start < missingKeys.length; start += INSERT_BATCH) {
      const keys = missingKeys.slice(start, start + INSERT_BATCH);
      await this.rows
        .createQueryBuilder()
        .insert()
        .values(keys.map((key) => ({ mirrorId, commitId, key, checkedBy })))
        .orIgnore()
        .execute();
    }
  }

  /** Forgets what the checks of these ranges (chunks named "<range>@<first entry>") found missing for the commit. */
  async forgetRanges(mirrorId: string, commitId: string, rangeIds: string[]): Promise<void> {
    if (rangeIds.length === 0) return;
    await this.rows
      .createQueryBuilder()
      .delete()
      .where({ mirrorId, commitId })
      .andWhere(`split_part(checked_by, '@', 1) IN (:...rangeIds)`, { rangeIds })
      .execute();
  }

  async ofCommit(mirrorId: string, commitId: string): Promise<MissingObject[]> {
    const rows = await this.rows.find({ where: { mirrorId, commitId }, order: { missingSince: 'ASC', key: 'ASC' } });
    return rows.map((r) => ({ key: r.key, missingSince: r.missingSince }));
  }

  /** What is missing, per commit of the mirror, longest-missing first: one query for the whole mirror. */
  async byCommit(mirrorId: string): Promise<Map<string, MissingObject[]>> {
    const rows = await this.rows.find({ where: { mirrorId }, order: { missingSince: 'ASC', key: 'ASC' } });
    const byCommit = new Map<string, MissingObject[]>();
    for (const r of rows) {
      const missing = byCommit.get(r.commitId) ?? [];
      missing.push({ key: r.key, missingSince: r.missingSince });
      byCommit.set(r.commitId, missing);
    }
    return byCommit;
  }
}
