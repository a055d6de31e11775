import { Injectable } from '@nestjs/common';
import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { branchChanges, commitsToMirror } from '@lakemirror/mirroring';
import { BranchStateRepository, DatabaseSession, MirrorCommitRepository, ObservedHeadRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { PipelineQueues } from './pipeline-queues';
import { ReconcilerService } from './reconciler.service';

export interface ScanResult {
  created: number;
  moved: number;
  deleted: number;
  newCommits: number;
}

/**
 * Discovers what changed on a mirror's source: one paged branch listing per scan; for each
 * branch that was created or moved, the commit log read back only to commits already known;
 * the new commits enqueued for verification, parents first. Deleted branches are deleted on
 * the mirror. Then the reconciler makes sure every unfinished commit has its job.
 */
@Injectable()
export class ScannerService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly observedHeads: ObservedHeadRepository,
    private readonly session: DatabaseSession,
    private readonly queues: PipelineQueues,
    private readonly reconciler: ReconcilerService,
    private readonly log: PinoLogger,
  ) {}

  /**
   * Enqueues a scan of every active mirror: each scanner process does it on its own timer, and
   * the job ID collapses the ticks of several scanners into one scan. A timer rather than a
   * BullMQ scheduler, because a scheduler lives in Redis and would be lost with it.
   */
  async scanAll(): Promise<void> {
    for (const mirrorId of await this.contexts.activeMirrorIds()) await this.enqueueScan(mirrorId);
  }

  /** Enqueues a scan of one mirror, unless one is already waiting. */
  async enqueueScan(mirrorId: string): Promise<void> {
    await this.queues.add({
      name: 'scan-mirror',
      data: { mirrorId },
      opts: { jobId: jobId.scanMirror({ mirrorId }), attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
  }

  async scanMirror(mirrorId: string): Promise<ScanResult | undefined> {
    const context = await this.contexts.active(mirrorId);
    if (!context) return undefined;
    const repository = context.mirror.sourceRepository;
    const listed = await collect(this.contexts.source.listBranches(repository));
    const known = new Map((await this.branches.all(mirrorId)).map((b) => [b.branch, b.sourceHead ?? '']));
    const changes = branchChanges(listed, known);
    let newCommits = 0;
    for (const { branch, head } of [...changes.created, ...changes.moved]) {
      const commits = await commitsToMirror(head, this.contexts.source.log(repository, head, { amount: 1000 }), (ids) => this.commits.known(mirrorId, ids));
      const added = await this.commits.addDiscovered(mirrorId, commits);
      for (const commitId of added) {
        const plan = { mirrorId, commitId, generation: 0 };
        await this.queues.add({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
      }
      const sequence = await this.observe(mirrorId, branch, head);
      newCommits += added.length;
      this.log.info({ mirror: mirrorId, branch, commit: head, sequence, newCommits: added.length }, 'source branch moved');
    }
    for (const branch of changes.deleted) await this.deleteMirrorBranch(context, branch);
    const changed = changes.created.length + changes.moved.length + changes.deleted.length;
    // A branch may have moved to commits the mirror already holds (a new branch, a reset).
    if (changed > 0) await this.reconciler.promoteSoon(mirrorId);
    await this.reconciler.reconcile(mirrorId);
    return { created: changes.created.length, moved: changes.moved.length, deleted: changes.deleted.length, newCommits };
  }

  /** Records that the source branch now points at `head`, as the branch's next observation. */
  observe(mirrorId: string, branch: string, head: string): Promise<number> {
    return this.session.transaction(async (tx) => {
      const sequence = await this.branches.advanceObserved(mirrorId, branch, head, tx);
      await this.observedHeads.append(mirrorId, branch, sequence, head, tx);
      return sequence;
    });
  }

  /** Under the branch's row lock, so that no promoter moves it meanwhile. */
  private async deleteMirrorBranch(context: MirrorContext, branch: string): Promise<void> {
    const mirrorId = context.mirror.id;
    await this.session.transaction(async (tx) => {
      const progress = await this.branches.lock(mirrorId, branch, tx);
      if (!progress) return;
      if (progress.mirroredHead) {
        try {
          await context.destination.deleteBranch(mirrorId, branch, { force: true });
        } catch (error) {
          if (!(error instanceof LakefsNotFoundError)) throw error;
        }
      }
      await this.observedHeads.deleteBranch(mirrorId, branch, tx);
      await this.branches.delete(mirrorId, branch, tx);
      this.log.info({ mirror: mirrorId, branch }, 'source branch deleted: mirror branch deleted');
    });
  }
}
