import type { Commit } from '@lakemirror/lakefs-client';
import type { DataSource, EntityManager } from 'typeorm';

export type CommitState = 'pending' | 'verifying' | 'verified' | 'recorded';

/** A source commit the pipeline knows for one mirror. */
export interface MirrorCommit {
  mirrorId: string;
  commitId: string;
  parents: string[];
  metaRangeId: string;
  sourceCommit: Commit;
  creationDate: number;
  state: CommitState;
  generation: number;
  discoveredAt: Date;
}

interface CommitRow {
  mirror_id: string;
  commit_id: string;
  parents: string[];
  metarange_id: string;
  source_commit: Commit;
  creation_date: string;
  state: CommitState;
  generation: number;
  discovered_at: Date;
}

function toCommit(row: CommitRow): MirrorCommit {
  return {
    mirrorId: row.mirror_id,
    commitId: row.commit_id,
    parents: row.parents,
    metaRangeId: row.metarange_id,
    sourceCommit: row.source_commit,
    creationDate: Number(row.creation_date),
    state: row.state,
    generation: row.generation,
    discoveredAt: row.discovered_at,
  };
}

/** The commits of each mirror and where each stands: discovered, being verified, verified, recorded on the mirror. */
export class CommitStore {
  constructor(private readonly db: DataSource) {}

  /** Which of `commitIds` the pipeline already knows for this mirror (in any state). */
  async known(mirrorId: string, commitIds: string[]): Promise<Set<string>> {
    const rows: { commit_id: string }[] = await this.db.query(`SELECT commit_id FROM mirror_commits WHERE mirror_id = $1 AND commit_id = ANY($2)`, [mirrorId, commitIds]);
    return new Set(rows.map((r) => r.commit_id));
  }

  /** Adds newly discovered commits (an already known one is left as it is); returns those added. */
  async addDiscovered(mirrorId: string, commits: Commit[]): Promise<string[]> {
    const added: string[] = [];
    for (const commit of commits) {
      const rows = await this.db.query(
        `INSERT INTO mirror_commits (mirror_id, commit_id, parents, metarange_id, source_commit, creation_date, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT DO NOTHING RETURNING commit_id`,
        [mirrorId, commit.id, commit.parents, commit.meta_range_id, JSON.stringify(commit), commit.creation_date],
      );
      if (rows.length > 0) added.push(commit.id);
    }
    return added;
  }

  async get(mirrorId: string, commitId: string): Promise<MirrorCommit | undefined> {
    const rows: CommitRow[] = await this.db.query(`SELECT * FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2`, [mirrorId, commitId]);
    return rows[0] && toCommit(rows[0]);
  }

  /** Commits not yet recorded on the mirror, oldest discovery first. */
  async unfinished(mirrorId: string): Promise<MirrorCommit[]> {
    const rows: CommitRow[] = await this.db.query(`SELECT * FROM mirror_commits WHERE mirror_id = $1 AND state <> 'recorded' ORDER BY discovered_at, commit_id`, [mirrorId]);
    return rows.map(toCommit);
  }

  /** Verified commits whose every parent is recorded on the mirror (an unknown parent is not): the ones that may be recorded now. */
  async recordable(mirrorId: string, db: DataSource | EntityManager = this.db): Promise<MirrorCommit[]> {
    const rows: CommitRow[] = await db.query(
      `SELECT c.* FROM mirror_commits c WHERE c.mirror_id = $1 AND c.state = 'verified'
         AND NOT EXISTS (SELECT 1 FROM unnest(c.parents) AS parent (id) WHERE NOT EXISTS (
           SELECT 1 FROM mirror_commits p WHERE p.mirror_id = $1 AND p.commit_id = parent.id AND p.state = 'recorded'))
       ORDER BY c.creation_date, c.commit_id`,
      [mirrorId],
    );
    return rows.map(toCommit);
  }

  /** Which of `commitIds` are recorded on the mirror. */
  async recorded(mirrorId: string, commitIds: string[], db: DataSource | EntityManager = this.db): Promise<Set<string>> {
    const rows: { commit_id: string }[] = await db.query(`SELECT commit_id FROM mirror_commits WHERE mirror_id = $1 AND commit_id = ANY ($2) AND state = 'recorded'`, [mirrorId, commitIds]);
    return new Set(rows.map((r) => r.commit_id));
  }

  /** Moves a commit from one state to the next only if it is still where the caller saw it; false when it was not. */
  async transition(mirrorId: string, commitId: string, from: { state: CommitState[]; generation?: number }, to: CommitState, planningRequests = 0): Promise<boolean> {
    const stamp = to === 'verified' ? ', verified_at = now()' : to === 'recorded' ? ', recorded_at = now()' : '';
    const rows = await this.db.query(
      `UPDATE mirror_commits SET state = $3, planning_requests = planning_requests + $6 ${stamp}
       WHERE mirror_id = $1 AND commit_id = $2 AND state = ANY ($4) AND ($5::int IS NULL OR generation = $5) RETURNING commit_id`,
      [mirrorId, commitId, to, from.state, from.generation ?? null, planningRequests],
    );
    return rows[0].length > 0;
  }

  /** Starts a fresh verification of a commit (its flow failed or was lost): a new generation, back to pending. */
  async replan(mirrorId: string, commitId: string, from: { state: CommitState; generation: number }): Promise<number | undefined> {
    const rows: { generation: number }[][] = await this.db.query(
      `UPDATE mirror_commits SET state = 'pending', generation = generation + 1
       WHERE mirror_id = $1 AND commit_id = $2 AND state = $3 AND generation = $4 RETURNING generation`,
      [mirrorId, commitId, from.state, from.generation],
    );
    return rows[0][0]?.generation;
  }
}
