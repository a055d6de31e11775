import { Inject, Injectable } from '@nestjs/common';
import { chunkRanges, overlappingRanges } from '@lakemirror/mirroring';
import { CountingS3, StorageNamespace } from '@lakemirror/object-store';
import { CommitChunkRepository, MirrorCommitRepository, MissingObjectRepository, VerifiedRangeRepository } from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { RangeInfo, RangeReaderError, S3ObjectSource, readMetaRange } from '@lakemirror/range-reader';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContexts } from './mirror-contexts';
import { MalformedAddressError, NotReplicatedYetError } from './pipeline.errors';
import { metadataFileOf, unreadableMetadata } from './permanent-causes';
import { PipelineQueues } from './pipeline-queues';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';

/**
 * Plans the verification of one commit: reads its metarange from the *mirror* bucket (which
 * proves it arrived), leaves out ranges the mirror verified before and ranges its parents hold
 * (see parentRanges), and adds the commit's flow:
 * a `commit-verified` parent with one `verify-chunk` child per chunk still unchecked, or for a
 * commit with many objects to check, one `verify-sweep` child that checks them all in one pass
 * (the chunks are planned all the same: they are what the promoter's guard counts). A child
 * that runs out of retries fails the parent (failParentOnFailure), so no parent waits forever;
 * the reconciler then plans the commit afresh.
 */
@Injectable()
export class PlannerService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly missing: MissingObjectRepository,
    private readonly queues: PipelineQueues,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  async planCommit(mirrorId: string, commitId: string, generation: number): Promise<void> {
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state !== 'pending' || commit.generation !== generation) return;
    const context = await this.contexts.active(mirrorId);
    if (!context) return;
    const s3 = new CountingS3(context.mirrorS3);
    const ranges = await this.readMetaRange(s3, context.namespace, commit.metaRangeId, mirrorId, commitId);
    const parentRanges = ranges.length > 0 ? await this.parentRanges(s3, context.namespace, mirrorId, commit.parents) : [];
    const inherited = new Set(parentRanges.map((r) => r.id));
    const verified = await this.verifiedRanges.verified(
      mirrorId,
      ranges.map((r) => r.id).filter((id) => !inherited.has(id)),
    );
    const covered = [...new Set([...verified, ...ranges.map((r) => r.id).filter((id) => inherited.has(id))])];
    await this.chunks.markRangesChecked(mirrorId, commitId, covered);
    await this.missing.forgetRanges(mirrorId, commitId, covered);
    const toVerify = ranges.filter((r) => !verified.has(r.id) && !inherited.has(r.id));
    const planned = await this.chunks.plan(
      mirrorId,
      commitId,
      chunkRanges(toVerify, this.settings.chunkObjects, (range) => overlappingRanges(range, parentRanges)),
    );
    const unchecked = planned.filter((c) => !c.checked);
    const objects = unchecked.reduce((n, c) => n + c.objects, 0);
    const sweep = unchecked.length > 1 && objects >= this.settings.sweepObjects;
    const step = { mirrorId, commitId, generation };
    await this.queues.addFlow(
      { name: 'commit-verified', data: step, opts: { jobId: jobId.commitVerified(step) } },
      sweep
        ? [{ name: 'verify-sweep' as const, data: step, opts: { jobId: jobId.verifySweep(step), failParentOnFailure: true } }]
        : unchecked.map((chunk) => {
            const data = { ...step, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry, endEntry: chunk.endEntry };
            return { name: 'verify-chunk' as const, data, opts: { jobId: jobId.verifyChunk(data), failParentOnFailure: true } };
          }),
    );
    await this.commits.transition(mirrorId, commitId, { state: ['pending'], generation }, 'verifying', s3.requests);
    this.log.info(
      {
        mirror: mirrorId,
        commit: commitId,
        generation,
        ranges: ranges.length,
        alreadyVerified: verified.size,
        inheritedFromParents: ranges.length - toVerify.length - verified.size,
        chunks: unchecked.length,
        objects,
        sweep,
      },
      'commit verification planned',
    );
  }

  /**
   * The ranges of the parent commits. None of them needs checking for this commit, verified yet
   * or not, and their objects count as present: the commit is recorded only once every parent is
   * (the promoter records parents first, and a parent missing from PostgreSQL holds it for good),
   * and a recorded commit had each of its ranges verified, by itself or, the same way, through its
   * own parents. A parent metarange not in the mirror bucket, unreadable or with no valid ID only
   * means no shortcut (the parent's own plan reports it); any other failure is raised.
   */
  private async parentRanges(s3: CountingS3, namespace: StorageNamespace, mirrorId: string, parentIds: string[]): Promise<RangeInfo[]> {
    const ranges: RangeInfo[] = [];
    for (const parent of await this.commits.getMany(mirrorId, parentIds)) {
      if (parent.metaRangeId === '') continue;
      try {
        const location = metadataFileOf(namespace, parent.metaRangeId, parent);
        ranges.push(...(await readMetaRange(new S3ObjectSource(s3.client, location.bucket, location.key))));
      } catch (error) {
        if (error instanceof RangeReaderError || error instanceof MalformedAddressError) continue;
        throw error;
      }
    }
    return ranges;
  }

  /**
   * The commit's ranges, read from the mirror bucket; a repository's first commit has no metarange
   * at all. A metarange not there yet is retried; one there but unreadable, or a range ID in it
   * that is no file name, fails the commit for good.
   */
  private async readMetaRange(s3: CountingS3, namespace: StorageNamespace, metaRangeId: string, mirrorId: string, commitId: string): Promise<RangeInfo[]> {
    if (metaRangeId === '') return [];
    const commit = { mirrorId, commitId };
    const location = metadataFileOf(namespace, metaRangeId, commit);
    try {
      const ranges = await readMetaRange(new S3ObjectSource(s3.client, location.bucket, location.key));
      for (const range of ranges) metadataFileOf(namespace, range.id, commit);
      await this.missing.record(mirrorId, commitId, 'metarange', []);
      return ranges;
    } catch (error) {
      // Anything but the reader's refusal (the object store unreachable, say) is retried as it is.
      if (!(error instanceof RangeReaderError)) throw error;
      const corrupt = unreadableMetadata(error, commit);
      if (corrupt) throw corrupt;
      await this.missing.record(mirrorId, commitId, 'metarange', [location.key]);
      throw new NotReplicatedYetError(mirrorId, commitId, [location.key]);
    }
  }
}
