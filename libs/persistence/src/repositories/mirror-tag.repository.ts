import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import type { TagState } from '@lakemirror/mirroring';
import { MirrorTagEntity } from '../entities/mirror-tag.entity';

/** A source tag a mirror follows, and where it stands on the mirror. */
export interface MirrorTag {
  tag: string;
  commitId: string;
  state: TagState;
  observedAt: Date;
  appliedCommitId: string | null;
  appliedAt: Date | null;
}

function toTag(row: MirrorTagEntity): MirrorTag {
  return {
    tag: row.tag,
    commitId: row.commitId,
    state: row.state,
    observedAt: row.observedAt,
    appliedCommitId: row.appliedCommitId,
    appliedAt: row.appliedAt,
  };
}

/**
 * The mirror_tags table. The scanner writes what the source shows (a tag created or moved waits
 * for its commit, a deleted one is marked for deletion); the promoter, alone to write tags on the
 * mirror, reports what it did. Each change is conditional on what its writer saw, so the two
 * never undo each other.
 */
@Injectable()
export class MirrorTagRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(MirrorTagEntity);
  }

  /** `followed` for many mirrors in one query: per mirror of `mirrorIds` that follows a tag, its tags. */
  async followedOf(mirrorIds: string[]): Promise<Map<string, Map<string, string>>> {
    const followed = new Map<string, Map<string, string>>();
    if (mirrorIds.length === 0) return followed;
    const rows: { mirror_id: string; tag: string; commit_id: string }[] = await this.db.query(
      `SELECT mirror_id, tag, commit_id FROM mirror_tags WHERE mirror_id = ANY($1) AND state <> 'deleting'`,
      [mirrorIds],
    );
    for (const row of rows) {
      const tags = followed.get(row.mirror_id) ?? new Map<string, string>();
      tags.set(row.tag, row.commit_id);
      followed.set(row.mirror_id, tags);
    }
    return followed;
  }

  /** Those of `mirrorIds` with a tag the promoter can act on now (see actionable): one query for many mirrors. */
  async mirrorsWithActionable(mirrorIds: string[]): Promise<Set<string>> {
    if (mirrorIds.length === 0) return new Set();
    const rows: { mirror_id: string }[] = await this.db.query(
      `SELECT DISTINCT t.mirror_id FROM mirror_tags t
         LEFT JOIN mirror_commits c ON c.mirror_id = t.mirror_id AND c.commit_id = t.commit_id
       WHERE t.mirror_id = ANY($1) AND (t.state = 'deleting' OR (t.state = 'waiting' AND c.state = 'recorded'))`,
      [mirrorIds],
    );
    return new Set(rows.map((r) => r.mirror_id));
  }

  /** The tags the mirror follows (those being deleted left out), each with its source commit. */
  async followed(mirrorId: string): Promise<Map<string, string>> {
    const rows = await this.rows.find({ where: { mirrorId, state: Not('deleting') }, select: { tag: true, commitId: true } });
    return new Map(rows.map((r) => [r.tag, r.commitId]));
  }

  /** The source's tag now points at `commitId` (new, moved, or back after a deletion): it waits for that commit. */
  async observe(mirrorId: string, tag: string, commitId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO mirror_tags (mirror_id, tag, commit_id, state) VALUES ($1, $2, $3, 'waiting')
       ON CONFLICT (mirror_id, tag) DO UPDATE SET commit_id = EXCLUDED.commit_id, state = 'waiting', observed_at = now()`,
      [mirrorId, tag, commitId],
    );
  }

  /** The source's tag is gone: the mirror's goes too. */
  async markDeleting(mirrorId: string, tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.rows.update({ mirrorId, tag: In(tags), state: Not('deleting') }, { state: 'deleting' });
  }

  /** Tags waiting for their commit or to be deleted, oldest observation first. */
  async unapplied(mirrorId: string): Promise<MirrorTag[]> {
    const rows = await this.rows.find({ where: { mirrorId, state: Not('applied') }, order: { observedAt: 'ASC', tag: 'ASC' } });
    return rows.map(toTag);
  }

  /** Tags waiting for their commit, oldest observation first. */
  async waiting(mirrorId: string): Promise<MirrorTag[]> {
    const rows = await this.rows.find({ where: { mirrorId, state: 'waiting' }, order: { observedAt: 'ASC', tag: 'ASC' } });
    return rows.map(toTag);
  }

  /**
   * The mirror's tag now points at `commitId`: applied, unless the source moved or deleted the
   * tag meanwhile (then it stays waiting or deleting, and the next promotion acts on that).
   */
  async markApplied(mirrorId: string, tag: string, commitId: string): Promise<boolean> {
    const result = await this.rows
      .createQueryBuilder()
      .update()
      .set({
        appliedCommitId: commitId,
        appliedAt: () => 'now()',
        state: () => `CASE WHEN state = 'waiting' AND commit_id = :commitId THEN 'applied' ELSE state END`,
      })
      .where('mirror_id = :mirrorId AND tag = :tag', { mirrorId, tag, commitId })
      .returning('state')
      .execute();
    const [row] = result.raw as { state: TagState }[];
    return row?.state === 'applied';
  }

  /** The mirror's tag was deleted: forgets the tag, unless the source created it again meanwhile. */
  async forgetDeleted(mirrorId: string, tag: string): Promise<void> {
    await this.rows.delete({ mirrorId, tag, state: 'deleting' });
  }

  /** How many tags the promoter can act on now: waiting ones whose commit is recorded, and deleted ones. */
  async actionable(mirrorId: string): Promise<number> {
    const [{ count }]: { count: string }[] = await this.db.query(
      `SELECT count(*) AS count FROM mirror_tags t
         LEFT JOIN mirror_commits c ON c.mirror_id = t.mirror_id AND c.commit_id = t.commit_id
       WHERE t.mirror_id = $1 AND (t.state = 'deleting' OR (t.state = 'waiting' AND c.state = 'recorded'))`,
      [mirrorId],
    );
    return Number(count);
  }
}
