import { Injectable } from '@nestjs/common';
import { collect } from '@lakemirror/lakefs-client';
import { commitsToMirror, tagChanges } from '@lakemirror/mirroring';
import { MirrorCommitRepository, MirrorTagRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { PipelineQueues } from './pipeline-queues';

export interface TagScanResult {
  created: number;
  moved: number;
  deleted: number;
  newCommits: number;
  /** Some tag can be put on or deleted from the mirror now: the promoter has work. */
  actionable: boolean;
}

const NOTHING: TagScanResult = { created: 0, moved: 0, deleted: 0, newCommits: 0, actionable: false };

/**
 * Follows the source's tags for one scan: one paged tag listing; a tag created or moved has its
 * commit (and that commit's unknown ancestors) enqueued for verification like a branch head's,
 * since a tag may point where no branch leads, and then waits for that commit; a deleted tag is
 * marked for deletion. Only the promoter writes tags on the mirror.
 */
@Injectable()
export class TagScannerService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly tags: MirrorTagRepository,
    private readonly queues: PipelineQueues,
    private readonly log: PinoLogger,
  ) {}

  async scanTags(context: MirrorContext): Promise<TagScanResult> {
    if (!context.mirror.mirrorTags) return NOTHING;
    const mirrorId = context.mirror.id;
    const repository = context.mirror.sourceRepository;
    const listed = await collect(this.contexts.source.listTags(repository, { amount: 1000 }));
    const changes = tagChanges(listed, await this.tags.followed(mirrorId));
    let newCommits = 0;
    for (const { tag, commit } of [...changes.created, ...changes.moved]) {
      // Its commits first: a crash before the tag's row is written only means the tag is seen as new again.
      const added = await this.discover(mirrorId, repository, commit);
      await this.tags.observe(mirrorId, tag, commit);
      newCommits += added;
      this.log.info({ mirror: mirrorId, tag, commit, newCommits: added }, 'source tag created or moved');
    }
    await this.tags.markDeleting(mirrorId, changes.deleted);
    for (const tag of changes.deleted) this.log.info({ mirror: mirrorId, tag }, 'source tag deleted');
    return {
      created: changes.created.length,
      moved: changes.moved.length,
      deleted: changes.deleted.length,
      newCommits,
      actionable: (await this.tags.actionable(mirrorId)) > 0,
    };
  }

  /** Enqueues the commit and its ancestors that the mirror does not know yet, parents first; returns how many. */
  private async discover(mirrorId: string, repository: string, commitId: string): Promise<number> {
    const commits = await commitsToMirror(commitId, this.contexts.source.log(repository, commitId, { amount: 1000 }), (ids) =>
      this.commits.known(mirrorId, ids),
    );
    const added = await this.commits.addDiscovered(mirrorId, commits);
    for (const id of added) {
      const plan = { mirrorId, commitId: id, generation: 0 };
      await this.queues.add({ name: 'plan-commit', data: plan, opts: { jobId: jobId.planCommit(plan) } });
    }
    return added.length;
  }
}
