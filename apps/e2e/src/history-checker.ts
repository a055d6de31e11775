import { LakefsClient, collect } from '@lakemirror/lakefs-client';
import { parseStorageNamespace } from '@lakemirror/object-store';
import { waitFor } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BranchMove,
  BranchSnapshot,
  CommitRecorded,
  PresenceAtMove,
  SourceHead,
  backwardsMoves,
  mirrorDifferences,
  movesToIncompleteCommits,
  recordViolations,
} from './history-invariants';
import { MirrorRegionFiles } from './mirror-region-files';
import { PipelineLog } from './pipeline-log';
import { PipelineUnderTest } from './pipeline.fixture';

export interface HistorySummary {
  /** Distinct branch moves seen (in lakeFS or in the promoter's log). */
  moves: number;
  commitsRecorded: number;
  /** Seconds from faultsEnded() (or from assertHolds() when not marked) until the mirror equalled the source. */
  convergeSeconds: number;
  /** Source commits absent from the mirror at the end: 0 when assertHolds() returns. */
  lost: number;
}

/**
 * An independent observer of one mirror while faults are injected: records every move of every
 * mirror branch (polling the destination lakeFS, and from the promoter's own log), the source
 * branches, and what the mirror region lacked of each commit right when a branch moved to it;
 * assertHolds() then checks the invariants over what it saw.
 */
export class HistoryChecker {
  private readonly moves: BranchMove[] = [];
  private readonly sourceHeads: SourceHead[] = [];
  private readonly records: CommitRecorded[] = [];
  private readonly presence: PresenceAtMove[] = [];
  private readonly toCheck: BranchMove[] = [];
  private readonly checkedCommits = new Set<string>();
  private readonly lastSource = new Map<string, string>();
  private readonly lastMirror = new Map<string, string>();
  private readonly commits = new Map<string, { parents: string[]; metaRangeId: string }>();
  private readonly log: PipelineLog;
  private regionFiles?: MirrorRegionFiles;
  private faultsEndedAt?: number;
  private polling = true;
  private readonly loop: Promise<void>;
  /** Observations run one at a time (the loop's, observeNow()'s, assertHolds()'s last one). */
  private observing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pipeline: PipelineUnderTest,
    private readonly repository: string,
    private readonly mirror: string,
    private readonly intervalMs = 150,
  ) {
    this.log = new PipelineLog(() => pipeline.allOutput(), mirror);
    this.loop = this.run();
  }

  /** Marks the end of the faults: convergence is timed from here. */
  faultsEnded(): void {
    this.faultsEndedAt = Date.now();
  }

  /** Waits until the mirror equals the source, stops observing, and throws one error listing every violated invariant. */
  async assertHolds(options: { timeoutMs?: number } = {}): Promise<HistorySummary> {
    const from = this.faultsEndedAt ?? Date.now();
    const violations: string[] = [];
    const convergedAt = await waitFor('the mirror to equal the source, every commit recorded', () => this.converged(), {
      timeoutMs: options.timeoutMs ?? 180_000,
      intervalMs: 300,
    }).catch((error: Error) => {
      violations.push(error.message);
      return Date.now();
    });
    await this.stop();
    await this.observeNow();
    if (this.toCheck.length > 0) violations.push(`could not check the mirror region for ${this.toCheck.map((m) => m.to).join(', ')}`);
    const [source, mirror] = await Promise.all([
      this.snapshot(this.pipeline.env.source.lakefs, this.repository),
      this.snapshot(this.pipeline.env.regionB.lakefs, this.mirror),
    ]);
    const differences = mirrorDifferences(source, mirror);
    const parents = await this.parentsOf([
      ...this.moves.flatMap((m) => [m.from, m.to]),
      ...this.sourceHeads.map((s) => s.head),
      ...this.records.map((r) => r.commit),
    ]);
    violations.push(
      ...backwardsMoves(this.moves, this.sourceHeads, parents),
      ...movesToIncompleteCommits(this.presence),
      ...recordViolations(this.records, parents),
      ...differences.violations,
      ...(await this.unrecordedRows()),
    );
    if (violations.length > 0) throw new Error(`the history of mirror ${this.mirror} broke ${violations.length} invariants:\n- ${violations.join('\n- ')}`);
    return {
      moves: new Set(this.moves.map((m) => `${m.branch}=${m.to}`)).size,
      commitsRecorded: new Set(this.records.map((r) => r.commit)).size,
      convergeSeconds: Math.max(0, (convergedAt - from) / 1000),
      lost: differences.lost,
    };
  }

  /** Looks at lakeFS, the mirror region and the logs now, once. */
  observeNow(): Promise<void> {
    const next = this.observing.then(() => this.observeOnce());
    this.observing = next.catch(() => undefined);
    return next;
  }

  /** Stops observing (assertHolds() does; call it when a test ends early). */
  async stop(): Promise<void> {
    this.polling = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.polling) {
      // Servers may be down while faults are injected: what a tick could not see, the next one sees.
      await this.observeNow().catch(() => undefined);
      await sleep(this.intervalMs);
    }
  }

  private async observeOnce(): Promise<void> {
    const logged = this.log.read();
    this.records.push(...logged.records);
    this.addMoves(logged.moves);
    await this.pollSource();
    await this.pollMirror();
    await this.checkMirrorRegion();
  }

  private addMoves(moves: BranchMove[]): void {
    this.moves.push(...moves);
    this.toCheck.push(...moves.filter((m) => !this.checkedCommits.has(m.to)));
  }

  private async pollSource(): Promise<void> {
    const heads = await collect(this.pipeline.env.source.lakefs.listBranches(this.repository));
    const at = Date.now();
    for (const { id, commit_id } of heads) {
      if (this.lastSource.get(id) !== commit_id) this.sourceHeads.push({ branch: id, head: commit_id, at });
      this.lastSource.set(id, commit_id);
    }
    for (const branch of [...this.lastSource.keys()].filter((b) => !heads.some((h) => h.id === b))) {
      this.sourceHeads.push({ branch, at });
      this.lastSource.delete(branch);
    }
  }

  private async pollMirror(): Promise<void> {
    const heads = await collect(this.pipeline.env.regionB.lakefs.listBranches(this.mirror));
    const at = Date.now();
    const moves: BranchMove[] = [];
    for (const { id, commit_id } of heads) {
      const from = this.lastMirror.get(id);
      if (from !== commit_id) moves.push({ branch: id, from, to: commit_id, at, seenBy: 'destination' });
      this.lastMirror.set(id, commit_id);
    }
    for (const branch of [...this.lastMirror.keys()].filter((b) => !heads.some((h) => h.id === b))) this.lastMirror.delete(branch);
    this.addMoves(moves);
  }

  /** Right after seeing a move: what the mirror region lacks of the commit it moved to (each commit once). */
  private async checkMirrorRegion(): Promise<void> {
    while (this.toCheck.length > 0) {
      const move = this.toCheck[0];
      if (!this.checkedCommits.has(move.to)) {
        const { metaRangeId } = await this.commit(move.to);
        const missing = await (await this.mirrorRegion()).missingOf(metaRangeId);
        this.presence.push({ branch: move.branch, commit: move.to, at: Date.now(), missing });
        this.checkedCommits.add(move.to);
      }
      this.toCheck.shift();
    }
  }

  private async mirrorRegion(): Promise<MirrorRegionFiles> {
    const { regionB } = this.pipeline.env;
    this.regionFiles ??= new MirrorRegionFiles(regionB.s3, parseStorageNamespace((await regionB.lakefs.getRepository(this.mirror)).storage_namespace));
    return this.regionFiles;
  }

  private async commit(id: string): Promise<{ parents: string[]; metaRangeId: string }> {
    let commit = this.commits.get(id);
    if (!commit) {
      const found = await this.pipeline.env.source.lakefs.getCommit(this.repository, id);
      commit = { parents: found.parents, metaRangeId: found.meta_range_id };
      this.commits.set(id, commit);
    }
    return commit;
  }

  /** The parents of `ids` and of all their ancestors, from the source lakeFS. */
  private async parentsOf(ids: (string | undefined)[]): Promise<Map<string, string[]>> {
    const parents = new Map<string, string[]>();
    const queue = ids.filter((id): id is string => id !== undefined);
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (parents.has(id)) continue;
      const commit = await this.commit(id);
      parents.set(id, commit.parents);
      queue.push(...commit.parents);
    }
    return parents;
  }

  private async converged(): Promise<number | false> {
    const heads = async (lakefs: LakefsClient, repository: string) =>
      (await collect(lakefs.listBranches(repository)))
        .map((b) => `${b.id}=${b.commit_id}`)
        .sort()
        .join();
    const [source, mirror] = await Promise.all([heads(this.pipeline.env.source.lakefs, this.repository), heads(this.pipeline.env.regionB.lakefs, this.mirror)]);
    const at = Date.now();
    return source === mirror && (await this.unrecordedRows()).length === 0 && at;
  }

  private async snapshot(lakefs: LakefsClient, repository: string): Promise<BranchSnapshot> {
    const branches = await collect(lakefs.listBranches(repository));
    const logs = await Promise.all(branches.map(async (b) => (await collect(lakefs.log(repository, b.commit_id))).map((c) => c.id)));
    return new Map(branches.map((b, i) => [b.id, { head: b.commit_id, log: logs[i] }]));
  }

  private async unrecordedRows(): Promise<string[]> {
    const rows: { commit_id: string; state: string }[] = await this.pipeline.db.query(
      `SELECT commit_id, state FROM mirror_commits WHERE mirror_id = $1 AND state <> 'recorded'`,
      [this.mirror],
    );
    return rows.map((r) => `commit ${r.commit_id} is ${r.state} in PostgreSQL, not recorded`);
  }
}

/** Starts observing `mirror` of `repository` right away; end with assertHolds() (or stop()). */
export function startHistoryChecker(pipeline: PipelineUnderTest, repository: string, mirror: string, options: { intervalMs?: number } = {}): HistoryChecker {
  return new HistoryChecker(pipeline, repository, mirror, options.intervalMs);
}
