import { Injectable } from '@nestjs/common';
import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { BranchFilter, branchFilterMatcher, unfollowedCommits } from '@lakemirror/mirroring';
import {
  BranchStateRepository,
  DatabaseSession,
  MirrorCommitRepository,
  MirrorRepository,
  MirrorTagRepository,
  ObservedHeadRepository,
} from '@lakemirror/persistence';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { mirrorWriteLock } from './mirror-write-lock';

/** What becomes of the mirror branch of a source branch the mirror stops following. */
export type UnfollowedBranches = 'keep' | 'delete';

export type FilterChange =
  | { outcome: 'changed'; unfollowed: string[]; deleted: string[]; forgottenCommits: number }
  /** The mirror is being created or deleted. */
  | { outcome: 'not-active' }
  /** Branches would be deleted from a paused mirror, which nothing changes until it is resumed. */
  | { outcome: 'paused'; branches: string[] }
  /** lakeFS never deletes a repository's default branch. */
  | { outcome: 'default-branch'; branch: string };

/**
 * Held by a scan and by a change of the branch filter: a scan sees either the old filter or the
 * new one from start to end, so no scan that began under the old filter discovers commits of
 * a branch the new one dropped after the change forgot them.
 */
const branchFollowingLock = (mirrorId: string) => `lakemirror-branches-${mirrorId}`;

/**
 * Which source branches a mirror follows. A change of the filter stops following the branches
 * it no longer matches (their mirror branches kept as they are or deleted) and forgets the
 * unrecorded commits that only they led to, so those are never verified; branches it now
 * matches are followed from the next scan.
 */
@Injectable()
export class BranchFollowingService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly contexts: MirrorContexts,
    private readonly branches: BranchStateRepository,
    private readonly observedHeads: ObservedHeadRepository,
    private readonly commits: MirrorCommitRepository,
    private readonly tags: MirrorTagRepository,
    private readonly session: DatabaseSession,
    private readonly log: PinoLogger,
  ) {}

  /** Runs `work` while no other scan nor filter change of the mirror runs, in any process. */
  exclusively<T>(mirrorId: string, work: () => Promise<T>): Promise<T> {
    return this.session.withAdvisoryLock(branchFollowingLock(mirrorId), work);
  }

  /**
   * Sets the mirror's branch filter (its patterns already checked; a list left out stays as it
   * is). Changes nothing unless the outcome is "changed".
   */
  changeFilter(mirrorId: string, change: Partial<BranchFilter>, unfollowed: UnfollowedBranches): Promise<FilterChange> {
    return this.exclusively(mirrorId, () =>
      // Under the mirror's write lock too: no promotion moves a branch being unfollowed, and a pause is seen.
      this.session.withAdvisoryLock(mirrorWriteLock(mirrorId), async () => {
        const context = await this.contexts.active(mirrorId);
        if (!context) return { outcome: 'not-active' };
        const filter = { include: change.include ?? context.mirror.branchInclude, exclude: change.exclude ?? context.mirror.branchExclude };
        const follows = branchFilterMatcher(filter);
        const dropped = (await this.branches.all(mirrorId)).map((b) => b.branch).filter((branch) => !follows(branch));
        const toDelete = unfollowed === 'delete' ? await this.mirrorBranchesNotFollowed(context, follows) : [];
        if (toDelete.length > 0) {
          if (context.mirror.pausedAt) return { outcome: 'paused', branches: toDelete };
          const { default_branch: defaultBranch } = await context.destination.getRepository(mirrorId);
          if (toDelete.includes(defaultBranch)) return { outcome: 'default-branch', branch: defaultBranch };
        }
        await this.mirrors.setBranchFilter(mirrorId, filter);
        for (const branch of dropped) await this.unfollow(context, branch);
        for (const branch of toDelete) await this.deleteMirrorBranch(context, branch);
        const forgottenCommits = await this.forgetUnfollowedCommits(mirrorId);
        this.log.info({ mirror: mirrorId, filter, unfollowed: dropped, deleted: toDelete, forgottenCommits }, 'branch filter changed');
        return { outcome: 'changed', unfollowed: dropped, deleted: toDelete, forgottenCommits };
      }),
    );
  }

  /** Stops following `branch`: its progress and observations are dropped; the mirror branch stays as it is. */
  async unfollow(context: MirrorContext, branch: string): Promise<void> {
    const mirrorId = context.mirror.id;
    await this.session.transaction(async (tx) => {
      // The row lock waits for a promotion of the branch under way.
      if (!(await this.branches.lock(mirrorId, branch, tx))) return;
      await this.observedHeads.deleteBranch(mirrorId, branch, tx);
      await this.branches.delete(mirrorId, branch, tx);
    });
    this.log.info({ mirror: mirrorId, branch }, 'branch no longer followed');
  }

  /** Branches on the mirror repository that the filter does not follow (kept by earlier changes included). */
  private async mirrorBranchesNotFollowed(context: MirrorContext, follows: (branch: string) => boolean): Promise<string[]> {
    const onMirror = await collect(context.destination.listBranches(context.mirror.id));
    return onMirror.map((b) => b.id).filter((branch) => !follows(branch));
  }

  private async deleteMirrorBranch(context: MirrorContext, branch: string): Promise<void> {
    try {
      await context.destination.deleteBranch(context.mirror.id, branch, { force: true });
    } catch (error) {
      if (!(error instanceof LakefsNotFoundError)) throw error;
    }
    this.log.info({ mirror: context.mirror.id, branch }, 'unfollowed branch deleted from the mirror');
  }

  /** Drops unrecorded commits that no followed branch head (nor followed tag) leads to any more. */
  private async forgetUnfollowedCommits(mirrorId: string): Promise<number> {
    const unfinished = await this.commits.unfinished(mirrorId);
    if (unfinished.length === 0) return 0;
    const heads = [...(await this.observedHeads.commitIds(mirrorId)), ...(await this.tags.followed(mirrorId)).values()];
    const forget = unfollowedCommits(
      unfinished.map((c) => ({ id: c.commitId, parents: c.parents })),
      heads,
    );
    return this.commits.forgetUnrecorded(mirrorId, forget);
  }
}
