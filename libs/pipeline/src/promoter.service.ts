import { Injectable } from '@nestjs/common';
import { LakefsConflictError, LakefsError, LakefsNotFoundError, commitRecordOf } from '@lakemirror/lakefs-client';
import { promotionTarget, recordableInOrder, verificationVerdict } from '@lakemirror/mirroring';
import {
  BranchStateRepository,
  CommitChunkRepository,
  DatabaseSession,
  MirrorCommit,
  MirrorCommitRepository,
  ObservedHeadRepository,
} from '@lakemirror/persistence';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { mirrorWriteLock } from './mirror-write-lock';
import { CommitFailures } from './commit-failures.service';
import { CommitRecordRejectedError, IncompleteVerificationError, PermanentPipelineError } from './pipeline.errors';
import { rejectedRecord } from './permanent-causes';
import { TagPromoterService } from './tag-promoter.service';

/** Commit records created between two updates of their states in PostgreSQL. */
const RECORDS_PER_BATCH = 100;

/**
 * Makes verified commits visible on the mirror: creates each commit record with the source's
 * exact ID and fields once its parents are recorded, then moves every mirror branch to the
 * newest observed source head that is recorded. A branch move happens under the branch row's
 * lock and only to an observation newer than the one the branch reflects: a promoter that
 * resumes late finds the row moved on and does nothing, so a branch never goes backwards and
 * never lands on a commit that was not verified. A record the mirror's lakeFS refuses for good
 * fails its commit, which then holds every branch that needs it; the other commits go on.
 */
@Injectable()
export class PromoterService {
  constructor(
    private readonly session: DatabaseSession,
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly observedHeads: ObservedHeadRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly failures: CommitFailures,
    private readonly tagPromoter: TagPromoterService,
    private readonly log: PinoLogger,
  ) {}

  /**
   * The flow of a commit completed: every chunk passed. Double-checks that in PostgreSQL (never
   * trusting the flow), then promotes, unless a pass already took the commit or it must wait for
   * a parent: one pass records every verified commit it can (a backlog's whole chain), so the
   * jobs of the commits it took find nothing left to do.
   */
  async commitVerified(mirrorId: string, commitId: string): Promise<void> {
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state === 'failed') return;
    const verdict = verificationVerdict({ state: commit.state, chunks: await this.chunks.ofCommit(mirrorId, commitId) });
    if (!verdict.complete) throw new IncompleteVerificationError(mirrorId, commitId, verdict.uncheckedChunks);
    if (await this.commits.transition(mirrorId, commitId, { state: ['pending', 'verifying'] }, 'verified')) {
      this.log.info({ mirror: mirrorId, commit: commitId }, 'commit verified');
    }
    await this.withActiveMirror(mirrorId, async (context) => {
      // Under the lock, so a pass that recorded the commit has moved the branches too; the pass that records its last unrecorded parent will take it.
      const needed = (await this.commits.isRecordable(mirrorId, commitId)) || (await this.branches.awaitingPromotion(mirrorId)).length > 0;
      if (needed) await this.promote(context);
    });
  }

  /** Records every commit that can be recorded, then moves every branch that can move. Safe to repeat. */
  async promoteMirror(mirrorId: string): Promise<void> {
    await this.withActiveMirror(mirrorId, (context) => this.promote(context));
  }

  /** Runs `work` as the mirror's only promoter (any number of processes): records go parents first without racing. */
  private async withActiveMirror(mirrorId: string, work: (context: MirrorContext) => Promise<void>): Promise<void> {
    await this.session.withAdvisoryLock(mirrorWriteLock(mirrorId), async () => {
      // Read under the lock: a pause taken before it is seen, and a paused mirror is left as it is.
      const context = await this.contexts.active(mirrorId);
      if (!context || context.mirror.pausedAt) return;
      await work(context);
    });
  }

  private async promote(context: MirrorContext): Promise<void> {
    while (await this.recordBatch(context));
    for (const progress of await this.branches.all(context.mirror.id)) await this.promoteBranch(context, progress.branch);
    await this.tagPromoter.applyTags(context);
  }

  /**
   * Records up to RECORDS_PER_BATCH commits that can be recorded now (a chain at once, parents
   * first), then marks those recorded in one statement, also when a record fails midway (the
   * records made stay marked; the rest is redone by the next pass). A commit that fails for good
   * holds its descendants back. False when there was nothing to do.
   */
  private async recordBatch(context: MirrorContext): Promise<boolean> {
    const mirrorId = context.mirror.id;
    const { verified, recordedParents } = await this.commits.verifiedWithRecordedParents(mirrorId);
    const ready = recordableInOrder(verified, (id) => recordedParents.has(id)).slice(0, RECORDS_PER_BATCH);
    if (ready.length === 0) return false;
    const commits = new Map(
      (
        await this.commits.getMany(
          mirrorId,
          ready.map((c) => c.id),
        )
      ).map((c) => [c.commitId, c]),
    );
    const recorded: string[] = [];
    const held = new Set<string>();
    let interrupted: { error: unknown } | undefined;
    try {
      for (const { id, parents } of ready) {
        const commit = commits.get(id);
        if (commit?.state !== 'verified' || parents.some((p) => held.has(p))) held.add(id);
        else if (await this.recordOrFail(context, commit)) recorded.push(id);
        else held.add(id);
      }
    } catch (error) {
      interrupted = { error };
    }
    const marked = new Set(await this.commits.markRecorded(mirrorId, recorded));
    for (const id of recorded) if (marked.has(id)) this.log.info({ mirror: mirrorId, commit: id }, 'commit recorded on the mirror');
    if (interrupted) throw interrupted.error;
    return recorded.length > 0 || held.size > 0;
  }

  /** Creates the commit's record: true once it is on the mirror; false when it failed for good (its failure recorded). */
  private async recordOrFail(context: MirrorContext, commit: MirrorCommit): Promise<boolean> {
    try {
      await this.record(context, commit);
      return true;
    } catch (error) {
      if (!(error instanceof PermanentPipelineError)) throw error;
      // Recorded here rather than by the processor: the other commits and branches of the mirror still move.
      if (!(await this.failures.record(error))) throw error;
      return false;
    }
  }

  private async record(context: MirrorContext, commit: MirrorCommit): Promise<void> {
    const mirrorId = context.mirror.id;
    const ref = { mirrorId, commitId: commit.commitId };
    try {
      await context.destination.createCommitRecord(mirrorId, commitRecordOf(commit.sourceCommit, { force: true }));
    } catch (error) {
      if (!(error instanceof LakefsConflictError)) throw (error instanceof LakefsError && rejectedRecord(error, ref)) || error;
      // Recorded before (a retried job): lakeFS derives the ID from the fields, so the same ID is the same commit.
      const existing = await context.destination.getCommit(mirrorId, commit.commitId);
      // Another commit under this ID: the mirror repository was changed under lakemirror, which no retry undoes.
      if (existing.meta_range_id !== commit.metaRangeId) {
        throw new CommitRecordRejectedError(mirrorId, commit.commitId, 409, `it holds commit ${commit.commitId} with metarange ${existing.meta_range_id}`);
      }
    }
  }

  private async promoteBranch(context: MirrorContext, branch: string): Promise<void> {
    const mirrorId = context.mirror.id;
    await this.session.transaction(async (tx) => {
      const progress = await this.branches.lock(mirrorId, branch, tx);
      if (!progress) return;
      const observed = await this.observedHeads.after(mirrorId, branch, progress.mirroredSequence, tx);
      const recorded = await this.commits.recorded(
        mirrorId,
        observed.map((o) => o.commitId),
        tx,
      );
      const target = promotionTarget(observed, (id) => recorded.has(id), progress.mirroredSequence);
      if (!target) return;
      await this.moveMirrorBranch(context, branch, target.commitId);
      await this.branches.markMirrored(mirrorId, branch, target.commitId, target.sequence, tx);
      await this.observedHeads.deleteBefore(mirrorId, branch, target.sequence, tx);
      this.log.info({ mirror: mirrorId, branch, commit: target.commitId, from: progress.mirroredHead, sequence: target.sequence }, 'mirror branch moved');
    });
  }

  private async moveMirrorBranch(context: MirrorContext, branch: string, commitId: string): Promise<void> {
    const repository = context.mirror.id;
    try {
      await context.destination.getBranch(repository, branch);
    } catch (error) {
      if (!(error instanceof LakefsNotFoundError)) throw error;
      await context.destination.createBranch(repository, branch, commitId, { force: true });
      return;
    }
    await context.destination.hardResetBranch(repository, branch, commitId, { force: true });
  }
}
