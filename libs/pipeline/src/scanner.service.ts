import { Injectable } from '@nestjs/common';
import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { branchChanges, branchFilterMatcher, commitsToMirror } from '@lakemirror/mirroring';
import { BranchStateRepository, DatabaseSession, MirrorCommitRepository, ObservedHeadRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { BranchFollowingService } from './branch-following.service';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { mirrorWriteLock } from './mirror-write-lock';
import { PipelineQueues } from './pipeline-queues';
import { ReconcilerService } from './reconciler.service';
import { TagScannerService } from './tag-scanner.service';

/** Commits per page of the source's log. */
const LOG_PAGE = 1000;

export interface ScanResult {
  created: number;
  moved: number;
  deleted: number;
  newCommits: number;
}

/**
 * Discovers what changed on a mirror's source: one paged branch listing per scan; for each
 * followed branch (the mirror's branch filter) that was created or moved, the commit log read back only to commits already known;
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
    private readonly tagScanner: TagScannerService,
    private readonly following: BranchFollowingService,
    private readonly log: PinoLogger,
  ) {}

  /**
   * Enqueues a scan of every active mirror, one job per source repository (SourceScannerService:
   * one listing for all its mirrors): each scanner process does it on its own timer, and the job
   * ID collapses the ticks of several scanners into one scan. A timer rather than a BullMQ
   * scheduler, because a scheduler lives in Redis and would be lost with it.
   */
  async scanAll(): Promise<void> {
    for (const sourceRepository of await this.contexts.activeSourceRepositories()) {
      await this.queues.add({
        name: 'scan-source',
        data: { sourceRepository },
        opts: { jobId: jobId.scanSource({ sourceRepository }), attempts: 1, removeOnComplete: true, removeOnFail: true },
      });
    }
  }

  /** Enqueues a scan of one mirror, unless one is already waiting. */
  async enqueueScan(mirrorId: string): Promise<void> {
    await this.queues.add({
      name: 'scan-mirror',
      data: { mirrorId },
      opts: { jobId: jobId.scanMirror({ mirrorId }), attempts: 1, removeOnComplete: true, removeOnFail: true },
    });
  }

  /**
   * Enqueues a scan that starts after this call, for a change just made (a lakeFS hook's, a
   * "sync now"): a scan already running may have listed the branches before the change, and
   * would swallow a job of the same ID, so then one more is queued behind it under a second ID.
   */
  async enqueueScanAfterNow(mirrorId: string): Promise<void> {
    const running = (await this.queues.jobState('scan-mirror', jobId.scanMirror({ mirrorId }))) === 'active';
    const id = running ? jobId.rescanMirror({ mirrorId }) : jobId.scanMirror({ mirrorId });
    await this.queues.add({ name: 'scan-mirror', data: { mirrorId }, opts: { jobId: id, attempts: 1, removeOnComplete: true, removeOnFail: true } });
  }

  /** Scans with the mirror's branch filter held still (no filter change meanwhile). */
  scanMirror(mirrorId: string): Promise<ScanResult | undefined> {
    return this.following.exclusively(mirrorId, () => this.scanFollowedBranches(mirrorId));
  }

  private async scanFollowedBranches(mirrorId: string): Promise<ScanResult | undefined> {
    const context = await this.contexts.active(mirrorId);
    if (!context) return undefined;
    if (context.mirror.pausedAt) {
      // A paused mirror's source is not read; its commits in flight are kept going (verified, never promoted) until its resume scans it.
      await this.reconciler.reconcile(mirrorId);
      return undefined;
    }
    const repository = context.mirror.sourceRepository;
    const listed = await collect(this.contexts.source.listBranches(repository));
    const follows = branchFilterMatcher({ include: context.mirror.branchInclude, exclude: context.mirror.branchExclude });
    const known = new Map((await this.branches.all(mirrorId)).map((b) => [b.branch, b.sourceHead ?? '']));
    const changes = branchChanges(
      listed.filter((b) => follows(b.id)),
      known,
    );
    let newCommits = 0;
    for (const { branch, head } of [...changes.created, ...changes.moved]) {
      // A page of the log at a time, and one question to PostgreSQL per page: a backlog costs pages, not a query per commit.
      const commits = await commitsToMirror(
        head,
        this.contexts.source.log(repository, head, { amount: LOG_PAGE }),
        (ids) => this.commits.known(mirrorId, ids),
        { batchSize: LOG_PAGE },
      );
      const added = await this.commits.addDiscovered(mirrorId, commits);
      await this.queues.addBulk(
        added.map((commitId) => {
          const plan = { mirrorId, commitId, generation: 0 };
          return { name: 'plan-commit' as const, data: plan, opts: { jobId: jobId.planCommit(plan) } };
        }),
      );
      const sequence = await this.observe(mirrorId, branch, head);
      newCommits += added.length;
      this.log.info({ mirror: mirrorId, branch, commit: head, sequence, newCommits: added.length }, 'source branch moved');
    }
    for (const branch of changes.deleted) {
      // Still on the source, only no longer matched (a filter changed behind the API's back): unfollowed, its mirror branch kept.
      if (listed.some((b) => b.id === branch)) await this.following.unfollow(context, branch);
      else await this.deleteMirrorBranch(context, branch);
    }
    const tags = await this.tagScanner.scanTags(context);
    newCommits += tags.newCommits;
    const changed = changes.created.length + changes.moved.length + changes.deleted.length;
    // A branch may have moved to commits the mirror already holds (a new branch, a reset); a tag may be ready to set or delete.
    if (changed > 0 || tags.actionable) await this.reconciler.promoteSoon(mirrorId);
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

  /** Under the mirror's write lock (a mirror paused meanwhile is left as it is) and the branch's row lock, so that no promoter moves it meanwhile. */
  private async deleteMirrorBranch(context: MirrorContext, branch: string): Promise<void> {
    const mirrorId = context.mirror.id;
    await this.session.withAdvisoryLock(mirrorWriteLock(mirrorId), async () => {
      const current = await this.contexts.active(mirrorId);
      if (!current || current.mirror.pausedAt) return;
      await this.deleteMirrorBranchNow(context, branch);
    });
  }

  private async deleteMirrorBranchNow(context: MirrorContext, branch: string): Promise<void> {
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
