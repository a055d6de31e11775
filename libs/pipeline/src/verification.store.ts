import type { DataSource } from 'typeorm';

/** A bounded slice [firstEntry, endEntry) of one range of a commit: the unit of a verify-chunk job. */
export interface ChunkPlan {
  rangeId: string;
  firstEntry: number;
  endEntry: number;
  objects: number;
  /** Verified ranges of the parent commits that overlap this range: objects they hold are known present. */
  baseRanges: string[];
}

export interface ChunkState extends ChunkPlan {
  checked: boolean;
}

interface ChunkRow {
  range_id: string;
  first_entry: number;
  end_entry: number;
  objects: number;
  base_ranges: string;
  checked_at: Date | null;
}

function toChunk(row: ChunkRow): ChunkState {
  return {
    rangeId: row.range_id,
    firstEntry: row.first_entry,
    endEntry: row.end_entry,
    objects: row.objects,
    baseRanges: row.base_ranges ? row.base_ranges.split(',') : [],
    checked: row.checked_at !== null,
  };
}

/** The name under which a chunk records what it found missing. */
export function checkerOf(chunk: { rangeId: string; firstEntry: number }): string {
  return `${chunk.rangeId}@${chunk.firstEntry}`;
}

/** Which range files and objects have been proven present in a mirror's namespace, and which are missing since when. */
export class VerificationStore {
  constructor(private readonly db: DataSource) {}

  /** Which of `rangeIds` this mirror has verified before (range IDs are content hashes: once is enough). */
  async verifiedRanges(mirrorId: string, rangeIds: string[]): Promise<Set<string>> {
    const rows: { range_id: string }[] = await this.db.query(`SELECT range_id FROM verified_ranges WHERE mirror_id = $1 AND range_id = ANY ($2)`, [mirrorId, rangeIds]);
    return new Set(rows.map((r) => r.range_id));
  }

  /** Records a commit's chunks (kept as they are when planned before) and returns every chunk of the commit with its state. */
  async planChunks(mirrorId: string, commitId: string, chunks: ChunkPlan[]): Promise<ChunkState[]> {
    if (chunks.length > 0) {
      await this.db.query(
        `INSERT INTO commit_chunks (mirror_id, commit_id, range_id, first_entry, end_entry, objects, base_ranges)
         SELECT $1, $2, * FROM unnest($3::varchar[], $4::int[], $5::int[], $6::int[], $7::text[]) ON CONFLICT DO NOTHING`,
        [
          mirrorId,
          commitId,
          chunks.map((c) => c.rangeId),
          chunks.map((c) => c.firstEntry),
          chunks.map((c) => c.endEntry),
          chunks.map((c) => c.objects),
          chunks.map((c) => c.baseRanges.join(',')),
        ],
      );
    }
    return this.chunksOf(mirrorId, commitId);
  }

  async chunksOf(mirrorId: string, commitId: string): Promise<ChunkState[]> {
    const rows: ChunkRow[] = await this.db.query(`SELECT * FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2 ORDER BY range_id, first_entry`, [mirrorId, commitId]);
    return rows.map(toChunk);
  }

  async chunk(mirrorId: string, commitId: string, chunk: { rangeId: string; firstEntry: number }): Promise<ChunkState | undefined> {
    const rows: ChunkRow[] = await this.db.query(`SELECT * FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2 AND range_id = $3 AND first_entry = $4`, [
      mirrorId,
      commitId,
      chunk.rangeId,
      chunk.firstEntry,
    ]);
    return rows[0] && toChunk(rows[0]);
  }

  /**
   * Marks a chunk checked (every object present) with its cost, and forgets what it had found
   * missing; once every chunk of the range is checked for this commit, the range joins the
   * mirror's verified ranges.
   */
  async chunkChecked(
    mirrorId: string,
    commitId: string,
    chunk: { rangeId: string; firstEntry: number },
    result: { fullAddressObjects: number; requests: number; skippedObjects?: number },
  ): Promise<void> {
    await this.db.query(`DELETE FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2 AND checked_by = $3`, [mirrorId, commitId, checkerOf(chunk)]);
    await this.db.query(
      `UPDATE commit_chunks SET checked_at = now(), full_address_objects = $5, requests = requests + $6, skipped_objects = $7
       WHERE mirror_id = $1 AND commit_id = $2 AND range_id = $3 AND first_entry = $4 AND checked_at IS NULL`,
      [mirrorId, commitId, chunk.rangeId, chunk.firstEntry, result.fullAddressObjects, result.requests, result.skippedObjects ?? 0],
    );
    await this.db.query(
      `INSERT INTO verified_ranges (mirror_id, range_id, objects, full_address_objects)
       SELECT $1::varchar, $3::varchar, sum(objects), sum(full_address_objects) FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2 AND range_id = $3
       HAVING bool_and(checked_at IS NOT NULL)
       ON CONFLICT DO NOTHING`,
      [mirrorId, commitId, chunk.rangeId],
    );
  }

  /**
   * A commit's chunks of ranges the mirror has meanwhile verified (through another commit that
   * shares them) are checked too, and what they had found missing is forgotten.
   */
  async rangesVerifiedElsewhere(mirrorId: string, commitId: string, rangeIds: string[]): Promise<void> {
    if (rangeIds.length === 0) return;
    await this.db.query(`UPDATE commit_chunks SET checked_at = now() WHERE mirror_id = $1 AND commit_id = $2 AND range_id = ANY ($3) AND checked_at IS NULL`, [mirrorId, commitId, rangeIds]);
    await this.db.query(`DELETE FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2 AND split_part(checked_by, '@', 1) = ANY ($3)`, [mirrorId, commitId, rangeIds]);
  }

  /** Adds the cost of a failed check (objects still missing) to the chunk. */
  async chunkRequests(mirrorId: string, commitId: string, chunk: { rangeId: string; firstEntry: number }, requests: number): Promise<void> {
    await this.db.query(`UPDATE commit_chunks SET requests = requests + $5 WHERE mirror_id = $1 AND commit_id = $2 AND range_id = $3 AND first_entry = $4`, [
      mirrorId,
      commitId,
      chunk.rangeId,
      chunk.firstEntry,
      requests,
    ]);
  }

  /**
   * What one check (`checkedBy`: the metarange, or one chunk) found missing. Each key keeps the
   * time it was first seen missing; keys this check no longer misses are forgotten.
   */
  async recordMissing(mirrorId: string, commitId: string, checkedBy: string, missingKeys: string[]): Promise<void> {
    await this.db.query(`DELETE FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2 AND checked_by = $3 AND NOT (key = ANY ($4))`, [mirrorId, commitId, checkedBy, missingKeys]);
    if (missingKeys.length > 0) {
      await this.db.query(
        `INSERT INTO missing_objects (mirror_id, commit_id, key, checked_by) SELECT $1, $2, unnest($4::varchar[]), $3 ON CONFLICT DO NOTHING`,
        [mirrorId, commitId, checkedBy, missingKeys],
      );
    }
  }

  /** Objects planned and objects checked, per commit not yet recorded on the mirror: one query for the whole mirror. */
  async progressOfUnfinished(mirrorId: string): Promise<Map<string, { checked: number; total: number }>> {
    const rows: { commit_id: string; checked: string; total: string }[] = await this.db.query(
      `SELECT k.commit_id, coalesce(sum(k.objects) FILTER (WHERE k.checked_at IS NOT NULL), 0) AS checked, sum(k.objects) AS total
       FROM commit_chunks k JOIN mirror_commits c ON c.mirror_id = k.mirror_id AND c.commit_id = k.commit_id AND c.state <> 'recorded'
       WHERE k.mirror_id = $1 GROUP BY k.commit_id`,
      [mirrorId],
    );
    return new Map(rows.map((r) => [r.commit_id, { checked: Number(r.checked), total: Number(r.total) }]));
  }

  /** What is missing, per commit of the mirror, longest-missing first: one query for the whole mirror. */
  async missingByCommit(mirrorId: string): Promise<Map<string, { key: string; missingSince: Date }[]>> {
    const rows: { commit_id: string; key: string; missing_since: Date }[] = await this.db.query(
      `SELECT commit_id, key, missing_since FROM missing_objects WHERE mirror_id = $1 ORDER BY missing_since, key`,
      [mirrorId],
    );
    const byCommit = new Map<string, { key: string; missingSince: Date }[]>();
    for (const r of rows) {
      const missing = byCommit.get(r.commit_id) ?? [];
      missing.push({ key: r.key, missingSince: r.missing_since });
      byCommit.set(r.commit_id, missing);
    }
    return byCommit;
  }

  async missing(mirrorId: string, commitId: string): Promise<{ key: string; missingSince: Date }[]> {
    const rows: { key: string; missing_since: Date }[] = await this.db.query(`SELECT key, missing_since FROM missing_objects WHERE mirror_id = $1 AND commit_id = $2 ORDER BY missing_since, key`, [mirrorId, commitId]);
    return rows.map((r) => ({ key: r.key, missingSince: r.missing_since }));
  }
}
