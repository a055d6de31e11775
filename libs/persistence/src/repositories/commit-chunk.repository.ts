import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChunkPlan } from '@lakemirror/mirroring';
import { DataSource, In, IsNull } from 'typeorm';
import { CommitChunkEntity } from '../entities/commit-chunk.entity';
import { MirrorCommitEntity } from '../entities/mirror-commit.entity';

const PLAN_BATCH = 5_000;

/** A planned chunk and whether its check has passed. */
export interface ChunkState extends ChunkPlan {
  checked: boolean;
}

export interface ChunkKey {
  rangeId: string;
  firstEntry: number;
}

function toChunk(row: CommitChunkEntity): ChunkState {
  return {
    rangeId: row.rangeId,
    firstEntry: row.firstEntry,
    endEntry: row.endEntry,
    objects: row.objects,
    baseRanges: row.baseRanges ? row.baseRanges.split(',') : [],
    checked: row.checkedAt !== null,
  };
}

/** The commit_chunks table: each commit's verification split into chunks, and which have passed. */
@Injectable()
export class CommitChunkRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(CommitChunkEntity);
  }

  /** Records a commit's chunks (one planned before is kept as it is) and returns every chunk of the commit with its state. */
  async plan(mirrorId: string, commitId: string, chunks: ChunkPlan[]): Promise<ChunkState[]> {
    return (await this.planMany(mirrorId, new Map([[commitId, chunks]]))).get(commitId) ?? [];
  }

  /** plan() for many commits at once: a few statements in all, not a few per commit. */
  async planMany(mirrorId: string, chunksByCommit: ReadonlyMap<string, ChunkPlan[]>): Promise<Map<string, ChunkState[]>> {
    const rows = [...chunksByCommit].flatMap(([commitId, chunks]) =>
      chunks.map((c) => ({
        mirrorId,
        commitId,
        rangeId: c.rangeId,
        firstEntry: c.firstEntry,
        endEntry: c.endEntry,
        objects: c.objects,
        baseRanges: c.baseRanges.join(','),
      })),
    );
    // In batches: PostgreSQL takes at most 65,535 parameters in one statement (7 per chunk).
    for (let start = 0; start < rows.length; start += PLAN_BATCH) {
      await this.rows
        .createQueryBuilder()
        .insert()
        .values(rows.slice(start, start + PLAN_BATCH))
        .orIgnore()
        .execute();
    }
    return this.ofCommits(mirrorId, [...chunksByCommit.keys()]);
  }

  /** Every chunk of each of `commitIds` (none: an empty list), in one query. */
  async ofCommits(mirrorId: string, commitIds: string[]): Promise<Map<string, ChunkState[]>> {
    const byCommit = new Map<string, ChunkState[]>(commitIds.map((id) => [id, []]));
    if (commitIds.length === 0) return byCommit;
    const rows = await this.rows.find({ where: { mirrorId, commitId: In(commitIds) }, order: { commitId: 'ASC', rangeId: 'ASC', firstEntry: 'ASC' } });
    for (const row of rows) byCommit.get(row.commitId)?.push(toChunk(row));
    return byCommit;
  }

  async ofCommit(mirrorId: string, commitId: string): Promise<ChunkState[]> {
    return (await this.rows.find({ where: { mirrorId, commitId }, order: { rangeId: 'ASC', firstEntry: 'ASC' } })).map(toChunk);
  }

  async get(mirrorId: string, commitId: string, chunk: ChunkKey): Promise<ChunkState | undefined> {
    const row = await this.rows.findOneBy({ mirrorId, commitId, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry });
    return row ? toChunk(row) : undefined;
  }

  /** The chunk passed (every object present), with what it cost; a chunk already checked keeps its first result. */
  async markChecked(
    mirrorId: string,
    commitId: string,
    chunk: ChunkKey,
    result: { fullAddressObjects: number; requests: number; skippedObjects: number },
  ): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({
        checkedAt: () => 'now()',
        fullAddressObjects: result.fullAddressObjects,
        skippedObjects: result.skippedObjects,
        requests: () => `requests + ${Math.trunc(result.requests)}`,
      })
      .where({ mirrorId, commitId, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry, checkedAt: IsNull() })
      .execute();
  }

  /**
   * Many chunks of one commit passed at once (a commit swept in one job), in one statement;
   * a chunk already checked keeps its first result.
   */
  async markManyChecked(
    mirrorId: string,
    commitId: string,
    results: (ChunkKey & { fullAddressObjects: number; requests: number; skippedObjects: number })[],
  ): Promise<void> {
    if (results.length === 0) return;
    await this.db.query(
      `UPDATE commit_chunks k
          SET checked_at = now(), full_address_objects = r.full_address, skipped_objects = r.skipped, requests = k.requests + r.requests
         FROM unnest($3::varchar[], $4::int[], $5::int[], $6::int[], $7::int[]) AS r(range_id, first_entry, full_address, skipped, requests)
        WHERE k.mirror_id = $1 AND k.commit_id = $2 AND k.range_id = r.range_id AND k.first_entry = r.first_entry AND k.checked_at IS NULL`,
      [
        mirrorId,
        commitId,
        results.map((r) => r.rangeId),
        results.map((r) => r.firstEntry),
        results.map((r) => r.fullAddressObjects),
        results.map((r) => r.skippedObjects),
        results.map((r) => Math.trunc(r.requests)),
      ],
    );
  }

  /** Chunks of ranges the mirror has verified through another commit count as checked. */
  async markRangesChecked(mirrorId: string, commitId: string, rangeIds: string[]): Promise<void> {
    await this.markCommitRangesChecked(
      mirrorId,
      rangeIds.map((rangeId) => ({ commitId, rangeId })),
    );
  }

  /** markRangesChecked for many commits' ranges, in one statement. */
  async markCommitRangesChecked(mirrorId: string, ranges: { commitId: string; rangeId: string }[]): Promise<void> {
    if (ranges.length === 0) return;
    await this.db.query(
      `UPDATE commit_chunks SET checked_at = now()
       WHERE mirror_id = $1 AND checked_at IS NULL AND (commit_id, range_id) IN (SELECT * FROM unnest($2::varchar[], $3::varchar[]))`,
      [mirrorId, ranges.map((r) => r.commitId), ranges.map((r) => r.rangeId)],
    );
  }

  /** Adds the cost of a failed check to the chunk. */
  async addRequests(mirrorId: string, commitId: string, chunk: ChunkKey, requests: number): Promise<void> {
    await this.rows.increment({ mirrorId, commitId, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry }, 'requests', requests);
  }

  /** Objects planned and objects checked, per commit not yet recorded on the mirror: one query for the whole mirror. */
  async progressOfUnfinished(mirrorId: string): Promise<Map<string, { checked: number; total: number }>> {
    const rows = await this.rows
      .createQueryBuilder('k')
      .select('k.commit_id', 'commit_id')
      .addSelect('coalesce(sum(k.objects) FILTER (WHERE k.checked_at IS NOT NULL), 0)', 'checked')
      .addSelect('sum(k.objects)', 'total')
      .innerJoin(MirrorCommitEntity, 'c', `c.mirror_id = k.mirror_id AND c.commit_id = k.commit_id AND c.state <> 'recorded'`)
      .where('k.mirror_id = :mirrorId', { mirrorId })
      .groupBy('k.commit_id')
      .getRawMany<{ commit_id: string; checked: string; total: string }>();
    return new Map(rows.map((r) => [r.commit_id, { checked: Number(r.checked), total: Number(r.total) }]));
  }
}
