import { CountingS3, StorageNamespace, lakefsMetadataObject } from '@lakemirror/object-store';
import { overlappingRanges } from '@lakemirror/mirroring';
import { jobId } from '@lakemirror/queues';
import { RangeInfo, RangeReaderError, S3ObjectSource, readMetaRange } from '@lakemirror/range-reader';
import type { Logger } from 'pino';
import type { CommitStore } from './commit.store';
import type { MirrorContexts } from './mirror-context';
import { NotReplicatedYetError } from './pipeline.errors';
import type { PipelineQueues } from './pipeline-queues';
import type { PipelineSettings } from './pipeline-settings';
import type { ChunkPlan, VerificationStore } from './verification.store';

/** End of the last chunk of a range: past any entry count, so a range's tail is never left unchecked. */
export const RANGE_END = 2_147_483_647;

/**
 * Splits the ranges still to verify into chunks of at most `chunkObjects` entries each; each
 * chunk carries the verified parent ranges its range overlaps (`baseRangesOf`).
 */
export function chunkRanges(ranges: readonly RangeInfo[], chunkObjects: number, baseRangesOf: (range: RangeInfo) => string[] = () => []): ChunkPlan[] {
  const chunks: ChunkPlan[] = [];
  for (const range of ranges) {
    const baseRanges = baseRangesOf(range);
    const count = Math.max(range.count, 1);
    for (let first = 0; first < count; first += chunkObjects) {
      const last = first + chunkObjects >= count;
      chunks.push({ rangeId: range.id, firstEntry: first, endEntry: last ? RANGE_END : first + chunkObjects, objects: Math.min(chunkObjects, range.count - first), baseRanges });
    }
  }
  return chunks;
}

/**
 * Plans the verification of one commit: reads its metarange from the *mirror* bucket (which
 * proves it arrived), leaves out ranges the mirror verified before, and adds the commit's flow:
 * a `commit-verified` parent with one `verify-chunk` child per chunk still unchecked. A child
 * that runs out of retries fails the parent (failParentOnFailure), so no parent waits forever;
 * the reconciler then plans the commit afresh.
 */
export class PlannerService {
  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: CommitStore,
    private readonly verification: VerificationStore,
    private readonly queues: PipelineQueues,
    private readonly settings: PipelineSettings,
    private readonly log: Logger,
  ) {}

  async planCommit(mirrorId: string, commitId: string, generation: number): Promise<void> {
    const commit = await this.commits.get(mirrorId, commitId);
    if (!commit || commit.state !== 'pending' || commit.generation !== generation) return;
    const context = await this.contexts.active(mirrorId);
    if (!context) return;
    const s3 = new CountingS3(context.mirrorS3);
    const ranges = await this.readMetaRange(s3, context.namespace, commit.metaRangeId, mirrorId, commitId);
    const verified = await this.verification.verifiedRanges(mirrorId, ranges.map((r) => r.id));
    await this.verification.rangesVerifiedElsewhere(mirrorId, commitId, [...verified]);
    const toVerify = ranges.filter((r) => !verified.has(r.id));
    const parentRanges = toVerify.length > 0 ? await this.verifiedParentRanges(s3, context.namespace, mirrorId, commit.parents) : [];
    const chunks = await this.verification.planChunks(mirrorId, commitId, chunkRanges(toVerify, this.settings.chunkObjects, (range) => overlappingRanges(range, parentRanges)));
    const unchecked = chunks.filter((c) => !c.checked);
    const step = { mirrorId, commitId, generation };
    await this.queues.addFlow(
      { name: 'commit-verified', data: step, opts: { jobId: jobId.commitVerified(step) } },
      unchecked.map((chunk) => {
        const data = { ...step, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry, endEntry: chunk.endEntry };
        return { name: 'verify-chunk' as const, data, opts: { jobId: jobId.verifyChunk(data), failParentOnFailure: true } };
      }),
    );
    await this.commits.transition(mirrorId, commitId, { state: ['pending'], generation }, 'verifying', s3.requests);
    this.log.info(
      { mirror: mirrorId, commit: commitId, generation, ranges: ranges.length, alreadyVerified: verified.size, chunks: unchecked.length, objects: unchecked.reduce((n, c) => n + c.objects, 0) },
      'commit verification planned',
    );
  }

  /**
   * The ranges of the parent commits that this mirror has verified: a new range overlapping them
   * inherited most of its entries from them, and those objects are known present. A parent
   * metarange that cannot be read only means no shortcut.
   */
  private async verifiedParentRanges(s3: CountingS3, namespace: StorageNamespace, mirrorId: string, parents: string[]): Promise<RangeInfo[]> {
    const ranges: RangeInfo[] = [];
    for (const parentId of parents) {
      const parent = await this.commits.get(mirrorId, parentId);
      if (!parent || parent.metaRangeId === '') continue;
      const location = lakefsMetadataObject(namespace, parent.metaRangeId);
      const parentRanges = await readMetaRange(new S3ObjectSource(s3.client, location.bucket, location.key)).catch(() => []);
      const verified = await this.verification.verifiedRanges(mirrorId, parentRanges.map((r) => r.id));
      ranges.push(...parentRanges.filter((r) => verified.has(r.id)));
    }
    return ranges;
  }

  /** The commit's ranges, read from the mirror bucket; a repository's first commit has no metarange at all. */
  private async readMetaRange(s3: CountingS3, namespace: StorageNamespace, metaRangeId: string, mirrorId: string, commitId: string): Promise<RangeInfo[]> {
    if (metaRangeId === '') return [];
    const location = lakefsMetadataObject(namespace, metaRangeId);
    try {
      const ranges = await readMetaRange(new S3ObjectSource(s3.client, location.bucket, location.key));
      await this.verification.recordMissing(mirrorId, commitId, 'metarange', []);
      return ranges;
    } catch (error) {
      if (!(error instanceof RangeReaderError && error.code === 'NOT_FOUND')) throw error;
      await this.verification.recordMissing(mirrorId, commitId, 'metarange', [location.key]);
      throw new NotReplicatedYetError(mirrorId, commitId, [location.key]);
    }
  }
}
