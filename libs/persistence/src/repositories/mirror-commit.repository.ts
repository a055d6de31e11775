import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Commit } from '@lakemirror/lakefs-client';
import { DataSource, In, Not } from 'typeorm';
import type { CommitFailureReason, CommitState, UnfinishedCommitState } from '@lakemirror/mirroring';
import { MirrorCommitEntity } from '../entities/mirror-commit.entity';
import type { Tx } from './database-session';

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
  /** Why it failed for good, with the error and since when: set only while the state is `failed`. */
  failure: CommitFailure | null;
}

export interface CommitFailure {
  reason: CommitFailureReason;
  error: string;
  failedAt: Date;
}

function toCommit(row: MirrorCommitEntity): MirrorCommit {
  return {
    mirrorId: row.mirrorId,
    commitId: row.commitId,
    parents: row.parents,
    metaRangeId: row.metaRangeId,
    sourceCommit: row.sourceCommit,
    creationDate: Number(row.creationDate),
    state: row.state,
    generation: row.generation,
    discoveredAt: row.discoveredAt,
    failure: row.failedAt && row.failureReason ? { reason: row.failureReason, error: row.lastError ?? '', failedAt: row.failedAt } : null,
  };
}

/** Rows per INSERT of discovered commits: 7 parameters a row, well under PostgreSQL's 65,535. */
const DISCOVERED_PER_STATEMENT = 1_000;

/** A pending commit as batch planning needs it: where it sits in the history. */
export interface PendingStep {
  commitId: string;
  generation: number;
  parents: string[];
}

/** A commit's step as the reconciler needs it: no source commit, no failure. */
export interface UnfinishedStep {
  commitId: string;
  state: UnfinishedCommitState;
  generation: number;
  discoveredAt: Date;
}

/** Where a bounded walk through a mirror's unfinished commits stopped: the last one it saw. */
export type UnfinishedCursor = Pick<UnfinishedStep, 'discoveredAt' | 'commitId'>;

/** The rows of an UPDATE ... RETURNING: TypeORM answers such a query with [rows, row count], a SELECT with the rows alone. */
function updatedRows<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

/** The mirror_commits table: each mirror's source commits and where each stands (discovered, verifying, verified, recorded). */
@Injectable()
export class MirrorCommitRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private rows(tx: Tx) {
    return (tx ?? this.db.manager).getRepository(MirrorCommitEntity);
  }

  /** Which of `commitIds` the pipeline already knows for this mirror (in any state). */
  async known(mirrorId: string, commitIds: string[]): Promise<Set<string>> {
    if (commitIds.length === 0) return new Set();
    const rows = await this.rows(undefined).find({ where: { mirrorId, commitId: In(commitIds) }, select: { commitId: true } });
    return new Set(rows.map((r) => r.commitId));
  }

  /**
   * Adds newly discovered commits, a statement per thousand, in the order given (parents first:
   * a commit's parents are never inserted after it); known ones are left as they are. Returns the
   * IDs added.
   */
  async addDiscovered(mirrorId: string, commits: Commit[]): Promise<string[]> {
    const added: string[] = [];
    for (let first = 0; first < commits.length; first += DISCOVERED_PER_STATEMENT) {
      added.push(...(await this.insertDiscovered(mirrorId, commits.slice(first, first + DISCOVERED_PER_STATEMENT))));
    }
    return added;
  }

  private async insertDiscovered(mirrorId: string, commits: Commit[]): Promise<string[]> {
    const result = await this.rows(undefined)
      .createQueryBuilder()
      .insert()
      .values(
        commits.map((c) => ({
          mirrorId,
          commitId: c.id,
          parents: c.parents,
          metaRangeId: c.meta_range_id,
          sourceCommit: c,
          creationDate: String(c.creation_date),
          state: 'pending' as const,
        })),
      )
      .orIgnore()
      .returning('commit_id')
      .execute();
    const added = new Set((result.raw as { commit_id: string }[]).map((r) => r.commit_id));
    return commits.map((c) => c.id).filter((id) => added.has(id));
  }

  async get(mirrorId: string, commitId: string): Promise<MirrorCommit | undefined> {
    const row = await this.rows(undefined).findOneBy({ mirrorId, commitId });
    return row ? toCommit(row) : undefined;
  }

  async getMany(mirrorId: string, commitIds: string[]): Promise<MirrorCommit[]> {
    if (commitIds.length === 0) return [];
    return (await this.rows(undefined).findBy({ mirrorId, commitId: In(commitIds) })).map(toCommit);
  }

  /** Commits not yet recorded on the mirror, oldest discovery first. */
  async unfinished(mirrorId: string): Promise<MirrorCommit[]> {
    const rows = await this.rows(undefined).find({ where: { mirrorId, state: Not('recorded') }, order: { discoveredAt: 'ASC', commitId: 'ASC' } });
    return rows.map(toCommit);
  }

  /**
   * At most `limit` unfinished commits (their steps only), oldest discovery first, starting after
   * `after`: a walk through every unfinished commit in bounded pieces, one query each.
   */
  async unfinishedSteps(mirrorId: string, limit: number, after?: UnfinishedCursor): Promise<UnfinishedStep[]> {
    const rows: { commit_id: string; state: UnfinishedCommitState; generation: number; discovered_at: Date }[] = await this.db.query(
      `SELECT commit_id, state, generation, discovered_at FROM mirror_commits
       WHERE mirror_id = $1 AND state <> 'recorded' AND ($2::timestamptz IS NULL OR (discovered_at, commit_id) > ($2::timestamptz, $3::text))
       ORDER BY discovered_at, commit_id LIMIT $4`,
      [mirrorId, after?.discoveredAt ?? null, after?.commitId ?? '', limit],
    );
    return rows.map((r) => ({ commitId: r.commit_id, state: r.state, generation: r.generation, discoveredAt: r.discovered_at }));
  }

  /** Those of `mirrorIds` with a commit not recorded yet: one query for many mirrors. */
  async mirrorsWithUnfinished(mirrorIds: string[]): Promise<Set<string>> {
    if (mirrorIds.length === 0) return new Set();
    const rows: { mirror_id: string }[] = await this.db.query(
      `SELECT DISTINCT mirror_id FROM mirror_commits WHERE mirror_id = ANY($1) AND state <> 'recorded'`,
      [mirrorIds],
    );
    return new Set(rows.map((r) => r.mirror_id));
  }

  /** Drops those of `commitIds` not recorded yet (with their chunks and missing objects): work no followed branch needs. */
  async forgetUnrecorded(mirrorId: string, commitIds: string[], tx?: Tx): Promise<number> {
    if (commitIds.length === 0) return 0;
    const result = await this.rows(tx).delete({ mirrorId, commitId: In(commitIds), state: Not('recorded') });
    return result.affected ?? 0;
  }

  /** Verified commits whose every parent is recorded on the mirror (an unknown parent is not): the ones that may be recorded now. */
  async recordable(mirrorId: string, tx?: Tx): Promise<MirrorCommit[]> {
    const rows = await this.rows(tx)
      .createQueryBuilder('c')
      .where(`c.mirror_id = :mirrorId AND c.state = 'verified'`, { mirrorId })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM unnest(c.parents) AS parent (id) WHERE NOT EXISTS (
           SELECT 1 FROM mirror_commits p WHERE p.mirror_id = c.mirror_id AND p.commit_id = parent.id AND p.state = 'recorded'))`,
      )
      .orderBy('c.creation_date', 'ASC')
      .addOrderBy('c.commit_id', 'ASC')
      .getMany();
    return rows.map(toCommit);
  }

  /**
   * Every verified commit of the mirror (ID and parents, oldest first) and which of their parents
   * are recorded, in one query: what `recordableInOrder` needs to take a whole chain at once.
   */
  async verifiedWithRecordedParents(mirrorId: string): Promise<{ verified: { id: string; parents: string[] }[]; recordedParents: Set<string> }> {
    const rows: { commit_id: string; parents: string[]; recorded_parents: string[] }[] = await this.db.query(
      `SELECT c.commit_id, c.parents,
              ARRAY(SELECT p.commit_id FROM mirror_commits p WHERE p.mirror_id = c.mirror_id AND p.commit_id = ANY (c.parents) AND p.state = 'recorded') AS recorded_parents
       FROM mirror_commits c WHERE c.mirror_id = $1 AND c.state = 'verified' ORDER BY c.creation_date, c.commit_id`,
      [mirrorId],
    );
    return {
      verified: rows.map((r) => ({ id: r.commit_id, parents: r.parents })),
      recordedParents: new Set(rows.flatMap((r) => r.recorded_parents)),
    };
  }

  /** Whether the commit is verified and every parent of it recorded: the promoter has something to do for it. */
  async isRecordable(mirrorId: string, commitId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM mirror_commits c WHERE c.mirror_id = $1 AND c.commit_id = $2 AND c.state = 'verified'
         AND NOT EXISTS (SELECT 1 FROM unnest(c.parents) AS parent (id) WHERE NOT EXISTS (
           SELECT 1 FROM mirror_commits p WHERE p.mirror_id = c.mirror_id AND p.commit_id = parent.id AND p.state = 'recorded'))`,
      [mirrorId, commitId],
    );
    return rows.length > 0;
  }

  /** Moves those of `commitIds` still verified to recorded, in one statement; returns the IDs it moved. */
  async markRecorded(mirrorId: string, commitIds: string[]): Promise<string[]> {
    if (commitIds.length === 0) return [];
    const rows = updatedRows<{ commit_id: string }>(
      await this.db.query(
        `UPDATE mirror_commits SET state = 'recorded', recorded_at = now() WHERE mirror_id = $1 AND commit_id = ANY ($2) AND state = 'verified' RETURNING commit_id`,
        [mirrorId, commitIds],
      ),
    );
    return rows.map((r) => r.commit_id);
  }

  /** Which of `commitIds` are recorded on the mirror. */
  async recorded(mirrorId: string, commitIds: string[], tx?: Tx): Promise<Set<string>> {
    if (commitIds.length === 0) return new Set();
    const rows = await this.rows(tx).find({ where: { mirrorId, commitId: In(commitIds), state: 'recorded' }, select: { commitId: true } });
    return new Set(rows.map((r) => r.commitId));
  }

  /** Moves a commit to `to` only if it is still where the caller saw it; false when it was not. */
  async transition(
    mirrorId: string,
    commitId: string,
    from: { state: CommitState[]; generation?: number },
    to: CommitState,
    planningRequests = 0,
  ): Promise<boolean> {
    const query = this.rows(undefined)
      .createQueryBuilder()
      .update()
      .set({
        state: to,
        planningRequests: () => `planning_requests + ${Math.trunc(planningRequests)}`,
        ...(to === 'verified' ? { verifiedAt: () => 'now()' } : {}),
        ...(to === 'recorded' ? { recordedAt: () => 'now()' } : {}),
      })
      .where('mirror_id = :mirrorId AND commit_id = :commitId AND state IN (:...from)', { mirrorId, commitId, from: from.state });
    if (from.generation !== undefined) query.andWhere('generation = :generation', { generation: from.generation });
    const { affected } = await query.execute();
    return affected === 1;
  }

  /** At most `limit` pending commits of the mirror (ID, generation, parents): `first` (if pending), then the oldest discovered, in one query. */
  async pendingSteps(mirrorId: string, first: string, limit: number): Promise<PendingStep[]> {
    const rows: { commit_id: string; generation: number; parents: string[] }[] = await this.db.query(
      `SELECT commit_id, generation, parents FROM mirror_commits WHERE mirror_id = $1 AND state = 'pending'
       ORDER BY commit_id = $2 DESC, discovered_at, commit_id LIMIT $3`,
      [mirrorId, first, limit],
    );
    return rows.map((r) => ({ commitId: r.commit_id, generation: r.generation, parents: r.parents }));
  }

  /** transition from pending to verifying for many commits at once, each at its generation, adding its planning requests; returns those moved. */
  async startVerifying(mirrorId: string, commits: { commitId: string; generation: number; planningRequests: number }[]): Promise<string[]> {
    if (commits.length === 0) return [];
    const rows = updatedRows<{ commit_id: string }>(
      await this.db.query(
        `UPDATE mirror_commits c SET state = 'verifying', planning_requests = c.planning_requests + s.requests
         FROM unnest($2::text[], $3::int[], $4::int[]) AS s (commit_id, generation, requests)
         WHERE c.mirror_id = $1 AND c.commit_id = s.commit_id AND c.generation = s.generation AND c.state = 'pending'
         RETURNING c.commit_id`,
        [mirrorId, commits.map((c) => c.commitId), commits.map((c) => c.generation), commits.map((c) => Math.trunc(c.planningRequests))],
      ),
    );
    return rows.map((r) => r.commit_id);
  }

  /** Starts a fresh verification of a commit (its flow failed or was lost): a new generation, back to pending; undefined when someone moved it on. */
  async replan(mirrorId: string, commitId: string, from: { state: CommitState; generation: number }): Promise<number | undefined> {
    const result = await this.rows(undefined)
      .createQueryBuilder()
      .update()
      .set({ state: 'pending', generation: () => 'generation + 1' })
      .where('mirror_id = :mirrorId AND commit_id = :commitId AND state = :state AND generation = :generation', { mirrorId, commitId, ...from })
      .returning('generation')
      .execute();
    const [row] = result.raw as { generation: number }[];
    return row?.generation;
  }

  /**
   * `replan` for many commits in one statement, each only from the state and generation seen;
   * returns the new generation of each commit it moved (the others were moved on meanwhile).
   */
  async replanMany(mirrorId: string, seen: { commitId: string; state: CommitState; generation: number }[]): Promise<Map<string, number>> {
    if (seen.length === 0) return new Map();
    const rows = updatedRows<{ commit_id: string; generation: number }>(
      await this.db.query(
        `UPDATE mirror_commits c SET state = 'pending', generation = c.generation + 1
         FROM unnest($2::text[], $3::text[], $4::int[]) AS s (commit_id, state, generation)
         WHERE c.mirror_id = $1 AND c.commit_id = s.commit_id AND c.state::text = s.state AND c.generation = s.generation
         RETURNING c.commit_id, c.generation`,
        [mirrorId, seen.map((s) => s.commitId), seen.map((s) => s.state), seen.map((s) => s.generation)],
      ),
    );
    return new Map(rows.map((r) => [r.commit_id, r.generation]));
  }

  /**
   * Stops a commit for good with why: only while it is still unfinished and, when the caller
   * gives one, in the generation the caller worked on (a stale job never fails a newer plan).
   * False when the commit had moved on.
   */
  async markFailed(
    mirrorId: string,
    commitId: string,
    from: { generation?: number },
    failure: { reason: CommitFailureReason; error: string },
  ): Promise<boolean> {
    const query = this.rows(undefined)
      .createQueryBuilder()
      .update()
      .set({ state: 'failed', failureReason: failure.reason, lastError: failure.error, failedAt: () => 'now()' })
      .where(`mirror_id = :mirrorId AND commit_id = :commitId AND state IN ('pending', 'verifying', 'verified')`, { mirrorId, commitId });
    if (from.generation !== undefined) query.andWhere('generation = :generation', { generation: from.generation });
    const { affected } = await query.execute();
    return affected === 1;
  }

  /** An operator's retry of a failed commit: back to pending in a new generation, its failure cleared; undefined when it was not failed. */
  async retry(mirrorId: string, commitId: string): Promise<number | undefined> {
    const result = await this.rows(undefined)
      .createQueryBuilder()
      .update()
      .set({ state: 'pending', generation: () => 'generation + 1', failureReason: null, lastError: null, failedAt: null })
      .where(`mirror_id = :mirrorId AND commit_id = :commitId AND state = 'failed'`, { mirrorId, commitId })
      .returning('generation')
      .execute();
    const [row] = result.raw as { generation: number }[];
    return row?.generation;
  }

  /** Creation dates of the commits reachable from `head` through parents that are not recorded on the mirror yet. */
  async unrecordedBehind(mirrorId: string, head: string): Promise<number[]> {
    return (await this.unrecordedBehindWithState(mirrorId, head)).map((c) => c.creationDate);
  }

  /** The same commits with their states, oldest first: a failed one among them holds the branch short of `head`. */
  async unrecordedBehindWithState(mirrorId: string, head: string): Promise<{ commitId: string; creationDate: number; state: CommitState }[]> {
    const rows: { commit_id: string; creation_date: string; state: CommitState }[] = await this.db.query(
      `WITH RECURSIVE behind (commit_id) AS (
         SELECT commit_id FROM mirror_commits WHERE mirror_id = $1 AND commit_id = $2 AND state <> 'recorded'
         UNION
         SELECT p.commit_id FROM behind b
           JOIN mirror_commits c ON c.mirror_id = $1 AND c.commit_id = b.commit_id
           JOIN mirror_commits p ON p.mirror_id = $1 AND p.commit_id = ANY (c.parents) AND p.state <> 'recorded')
       SELECT m.commit_id, m.creation_date, m.state FROM behind JOIN mirror_commits m ON m.mirror_id = $1 AND m.commit_id = behind.commit_id
       ORDER BY m.creation_date, m.commit_id`,
      [mirrorId, head],
    );
    return rows.map((r) => ({ commitId: r.commit_id, creationDate: Number(r.creation_date), state: r.state }));
  }
}
