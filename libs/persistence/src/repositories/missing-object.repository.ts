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

/** A check that found `key` missing, with the generation of its commit's verification. */
export interface CheckWaitingForKey {
  mirrorId: string;
  commitId: string;
  generation: number;
  checkedBy: string;
  key: string;
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

  /** Forgets what these checks found missing for the commit (they passed since). */
  async forgetChecks(mirrorId: string, commitId: string, checkers: string[]): Promise<void> {
    if (checkers.length === 0) return;
    await this.db.query(`DELETE FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2 AND checked_by = ANY ($3::varchar[])`, [
      mirrorId,
      commitId,
      checkers,
    ]);
  }

  /** Forgets what the checks of these ranges (chunks named "<range>@<first entry>") found missing for the commit. */
  async forgetRanges(mirrorId: string, commitId: string, rangeIds: string[]): Promise<void> {
    await this.forgetCommitRanges(
      mirrorId,
      rangeIds.map((rangeId) => ({ commitId, rangeId })),
    );
  }

  /** forgetRanges for many commits' ranges, in one statement. */
  async forgetCommitRanges(mirrorId: string, ranges: { commitId: string; rangeId: string }[]): Promise<void> {
    if (ranges.length === 0) return;
    await this.db.query(
      `DELETE FROM missing_objects
       WHERE mirror_id = $1 AND (commit_id, split_part(checked_by, '@', 1)) IN (SELECT * FROM unnest($2::varchar[], $3::varchar[]))`,
      [mirrorId, ranges.map((r) => r.commitId), ranges.map((r) => r.rangeId)],
    );
  }

  /** Forgets what one check, by the same name in each of `commitIds` (the metarange's, say), found missing. */
  async forgetCheckOfCommits(mirrorId: string, commitIds: string[], checkedBy: string): Promise<void> {
    if (commitIds.length === 0) return;
    await this.db.query(`DELETE FROM missing_objects WHERE mirror_id = $1 AND commit_id = ANY ($2::varchar[]) AND checked_by = $3`, [
      mirrorId,
      commitIds,
      checkedBy,
    ]);
  }

  /**
   * The checks of commits still in verification that wait for one of `keys` in a mirror whose
   * namespace is in `bucket` (index missing_objects_key: most keys are waited for by none).
   */
  async checksWaitingFor(bucket: string, keys: string[]): Promise<CheckWaitingForKey[]> {
    if (keys.length === 0) return [];
    const rows: { mirror_id: string; commit_id: string; generation: number; checked_by: string; key: string }[] = await this.db.query(
      `SELECT m.mirror_id, m.commit_id, c.generation, m.checked_by, m.key
         FROM missing_objects m
         JOIN mirror_commits c ON c.mirror_id = m.mirror_id AND c.commit_id = m.commit_id
         JOIN mirrors r ON r.id = m.mirror_id
        WHERE m.key = ANY ($1) AND c.state IN ('pending', 'verifying') AND split_part(r.storage_namespace, '/', 3) = $2`,
      [keys, bucket],
    );
    return rows.map((r) => ({ mirrorId: r.mirror_id, commitId: r.commit_id, generation: r.generation, checkedBy: r.checked_by, key: r.key }));
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
