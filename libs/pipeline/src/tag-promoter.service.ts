import { Injectable } from '@nestjs/common';
import { LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { tagAction } from '@lakemirror/mirroring';
import { MirrorCommitRepository, MirrorTagRepository } from '@lakemirror/persistence';
import { PinoLogger } from 'nestjs-pino';
import type { MirrorContext } from './mirror-contexts';

/**
 * Puts the source's tags on the mirror: a waiting tag once its commit is recorded there (never
 * before, so a mirror tag always names a commit the mirror holds), a moved tag to its new commit
 * likewise (until then it stays on its old, recorded one), and a tag the source deleted is deleted.
 * Runs inside the promoter's per-mirror lock, so it is the only writer of the mirror's tags.
 */
@Injectable()
export class TagPromoterService {
  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly tags: MirrorTagRepository,
    private readonly log: PinoLogger,
  ) {}

  async applyTags(context: MirrorContext): Promise<void> {
    if (!context.mirror.mirrorTags) return;
    const mirrorId = context.mirror.id;
    const unapplied = await this.tags.unapplied(mirrorId);
    if (unapplied.length === 0) return;
    const recorded = await this.commits.recorded(
      mirrorId,
      unapplied.map((t) => t.commitId),
    );
    for (const tag of unapplied) {
      const decision = tagAction(tag, (id) => recorded.has(id));
      if (decision.action === 'apply') await this.apply(context, tag.tag, decision.commit);
      else if (decision.action === 'delete') await this.delete(context, tag.tag);
    }
  }

  private async apply(context: MirrorContext, tag: string, commitId: string): Promise<void> {
    const mirrorId = context.mirror.id;
    const current = await this.mirrorTagCommit(context, tag);
    if (current !== commitId) {
      // lakeFS cannot move a tag: a moved tag is deleted and created again.
      if (current !== undefined) await this.deleteMirrorTag(context, tag);
      await context.destination.createTag(mirrorId, tag, commitId, { force: true });
    }
    const applied = await this.tags.markApplied(mirrorId, tag, commitId);
    this.log.info({ mirror: mirrorId, tag, commit: commitId, from: current ?? null, applied }, 'mirror tag set');
  }

  private async delete(context: MirrorContext, tag: string): Promise<void> {
    const mirrorId = context.mirror.id;
    await this.deleteMirrorTag(context, tag);
    await this.tags.forgetDeleted(mirrorId, tag);
    this.log.info({ mirror: mirrorId, tag }, 'mirror tag deleted');
  }

  /** The commit the mirror's tag points at, or undefined when the mirror has no such tag. */
  private async mirrorTagCommit(context: MirrorContext, tag: string): Promise<string | undefined> {
    try {
      return (await context.destination.getTag(context.mirror.id, tag)).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  }

  private async deleteMirrorTag(context: MirrorContext, tag: string): Promise<void> {
    try {
      await context.destination.deleteTag(context.mirror.id, tag, { force: true });
    } catch (error) {
      if (!(error instanceof LakefsNotFoundError)) throw error;
    }
  }
}
