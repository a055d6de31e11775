import { Inject, Injectable } from '@nestjs/common';
import { ChunkPlan, chunkRanges, overlappingRanges, planBatch } from '@lakemirror/mirroring';
import { CountingS3, StorageNamespace, mapWithConcurrency } from '@lakemirror/object-store';
import {
  ChunkState,
  CommitChunkRepository,
  MirrorCommit,
  MirrorCommitRepository,
  MissingObjectRepository,
  VerifiedRangeRepository,
} from '@lakemirror/persistence';
import { jobId } from '@lakemirror/queues';
import { RangeInfo, RangeReaderError, S3ObjectSource, readMetaRange } from '@lakemirror/range-reader';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContext, MirrorContexts } from './mirror-contexts';
import { MirrorPlanLock } from './mirror-plan-lock';
import { MalformedAddressError, NotReplicatedYetError } from './pipeline.errors';
import { metadataFileOf, unreadableMetadata } from './permanent-causes';
import { JobToAdd, PipelineQueues } from './pipeline-queues';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';

/** Pending commits of a mirror one plan job plans together (its own first, then its descendants: planBatch). */
const PLAN_BATCH = 100;
/** Pending commits read to find the own commit's descendants among (oldest discovered first). */
const PENDING_LOOKED_AT = 5_000;
/** Commits planned by a batch in this process whose own plan job has not come yet (it then does nothing). */
const PLANNED_HERE_MAX = 100_000;

/** One commit of a batch whose metarange was read. */
interface ReadCommit {
  commit: MirrorCommit;
  s3: CountingS3;
  ranges: RangeInfo[];
}

/**
 * Plans the verification of commits: reads each one's metarange from the *mirror* bucket (which
 * proves it arrived), leaves out ranges the mirror verified before and ranges its parents hold
 * (see parentRanges), and adds the commit's flow:
 * a `commit-verified` parent with one `verify-chunk` child per chunk still unchecked, or for a
 * commit with many objects to check, one `verify-sweep` child that checks them all in one pass
 * (the chunks are planned all the same: they are what the promoter's guard counts). A child
 * that runs out of retries fails the parent (failParentOnFailure), so no parent waits forever;
 * the reconciler then plans the commit afresh.
 *
 * Each commit has its plan job, but a job plans its commit together with up to PLAN_BATCH - 1 of
 * its pending descendants (a backlog's next commits, in history order), with a few bulk
 * statements and one flow request for all of them; their jobs then find them planned and do
 * nothing.
 * The jobs of one mirror take turns (MirrorPlanLock), so batches never overlap.
 */
@Injectable()
export class PlannerService {
  private readonly plannedHere = new Set<string>();

  constructor(
    private readonly contexts: MirrorContexts,
    private readonly commits: MirrorCommitRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly missing: MissingObjectRepository,
    private readonly queues: PipelineQueues,
    private readonly planLock: MirrorPlanLock,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  async planCommit(mirrorId: string, commitId: string, generation: number): Promise<void> {
    if (this.plannedHere.delete(stepOf(mirrorId, commitId, generation))) return;
    const context = await this.contexts.active(mirrorId);
    if (!context) return;
    await this.planLock.holding(mirrorId, async () => {
      const ids = planBatch({ commitId, generation }, await this.commits.pendingSteps(mirrorId, commitId, PENDING_LOOKED_AT), PLAN_BATCH);
      if (!ids) return;
      const byId = new Map((await this.commits.getMany(mirrorId, ids)).map((c) => [c.commitId, c]));
      const batch = ids.flatMap((id) => {
        const commit = byId.get(id);
        return commit?.state === 'pending' ? [commit] : [];
      });
      if (batch[0]?.commitId === commitId) await this.planBatch(context, batch);
    });
  }

  /**
   * Plans `batch` (the job's own commit first). A metarange another commit cannot have read yet
   * leaves that commit to its own job; the own commit's failure is raised once the others are
   * planned.
   */
  private async planBatch(context: MirrorContext, batch: MirrorCommit[]): Promise<void> {
    const mirrorId = context.mirror.id;
    const own = batch[0];
    let ownFailure: unknown;
    // In the batch's order (oldest first), kept for the flows: a backlog's chunks are then checked
    // in commit order, so neighbouring checks share LIST pages and the chain is recorded as it goes.
    const attempts = await mapWithConcurrency(batch, this.settings.requestConcurrency, async (commit): Promise<ReadCommit | undefined> => {
      const s3 = new CountingS3(context.mirrorS3);
      try {
        return { commit, s3, ranges: await this.readMetaRange(s3, context.namespace, commit.metaRangeId, mirrorId, commit.commitId) };
      } catch (error) {
        if (commit === own) ownFailure = error;
        else if (!(error instanceof NotReplicatedYetError))
          this.log.warn({ mirror: mirrorId, commit: commit.commitId, err: error }, "plan: left to the commit's own job");
        return undefined;
      }
    });
    const read = attempts.filter((r): r is ReadCommit => r !== undefined);
    await this.missing.forgetCheckOfCommits(
      mirrorId,
      read.map((r) => r.commit.commitId),
      'metarange',
    );
    const parentRanges = await this.parentRangesOf(context, read);
    const inherited = new Map(read.map((r) => [r.commit.commitId, new Set((parentRanges.get(r.commit.commitId) ?? []).map((range) => range.id))]));
    const notInherited = read.flatMap((r) => r.ranges.map((range) => range.id).filter((id) => !inherited.get(r.commit.commitId)?.has(id)));
    const verified = await this.verifiedRanges.verified(mirrorId, [...new Set(notInherited)]);

    const covered: { commitId: string; rangeId: string }[] = [];
    const plans = new Map<string, ChunkPlan[]>();
    for (const { commit, ranges } of read) {
      const fromParents = inherited.get(commit.commitId) ?? new Set<string>();
      for (const rangeId of new Set(ranges.map((r) => r.id).filter((id) => verified.has(id) || fromParents.has(id))))
        covered.push({ commitId: commit.commitId, rangeId });
      const toVerify = ranges.filter((r) => !verified.has(r.id) && !fromParents.has(r.id));
      const parents = parentRanges.get(commit.commitId) ?? [];
      plans.set(
        commit.commitId,
        chunkRanges(toVerify, this.settings.chunkObjects, (range) => overlappingRanges(range, parents)),
      );
    }
    await this.chunks.markCommitRangesChecked(mirrorId, covered);
    await this.missing.forgetCommitRanges(mirrorId, covered);
    const planned = await this.chunks.planMany(mirrorId, plans);

    const flows = read.map(({ commit }) => {
      const unchecked = (planned.get(commit.commitId) ?? []).filter((c) => !c.checked);
      return { commit, unchecked, ...this.flowOf(commit, unchecked) };
    });
    const requestsOf = new Map(read.map(({ commit, s3 }) => [commit.commitId, s3.requests]));
    const startVerifying = (commits: MirrorCommit[]) =>
      this.commits.startVerifying(
        mirrorId,
        commits.map((commit) => ({ commitId: commit.commitId, generation: commit.generation, planningRequests: requestsOf.get(commit.commitId) ?? 0 })),
      );
    // A flow with no children completes at once: its commit is moved first, or the promoter would
    // find it still pending (and retry). A flow with children is added first, as a verifying
    // commit without one is taken for a lost flow.
    const childless = flows.filter((f) => f.children.length === 0).map((f) => f.commit);
    const moved = new Set(await startVerifying(childless));
    await this.queues.addFlows(flows.map(({ parent, children }) => ({ parent, children })));
    for (const id of await startVerifying(flows.filter((f) => f.children.length > 0).map((f) => f.commit))) moved.add(id);
    read.forEach(({ commit, ranges }, i) => {
      if (commit !== own && moved.has(commit.commitId)) this.rememberPlanned(stepOf(mirrorId, commit.commitId, commit.generation));
      const flow = flows[i];
      const fromParents = inherited.get(commit.commitId) ?? new Set<string>();
      const alreadyVerified = ranges.filter((r) => verified.has(r.id) && !fromParents.has(r.id)).length;
      this.log.info(
        {
          mirror: mirrorId,
          commit: commit.commitId,
          generation: commit.generation,
          ranges: ranges.length,
          alreadyVerified,
          inheritedFromParents: ranges.filter((r) => fromParents.has(r.id)).length,
          chunks: flow.unchecked.length,
          objects: flow.objects,
          sweep: flow.sweep,
          batch: read.length,
        },
        'commit verification planned',
      );
    });
    if (ownFailure !== undefined) throw ownFailure;
  }

  /** A commit's flow: one chunk job per unchecked chunk, or one sweep for many objects. */
  private flowOf(commit: MirrorCommit, unchecked: ChunkState[]): { parent: JobToAdd; children: JobToAdd[]; objects: number; sweep: boolean } {
    const objects = unchecked.reduce((n, c) => n + c.objects, 0);
    const sweep = unchecked.length > 1 && objects >= this.settings.sweepObjects;
    const step = { mirrorId: commit.mirrorId, commitId: commit.commitId, generation: commit.generation };
    return {
      objects,
      sweep,
      parent: { name: 'commit-verified', data: step, opts: { jobId: jobId.commitVerified(step) } },
      children: sweep
        ? [{ name: 'verify-sweep', data: step, opts: { jobId: jobId.verifySweep(step), failParentOnFailure: true } }]
        : unchecked.map((chunk) => {
            const data = { ...step, rangeId: chunk.rangeId, firstEntry: chunk.firstEntry, endEntry: chunk.endEntry };
            return { name: 'verify-chunk', data, opts: { jobId: jobId.verifyChunk(data), failParentOnFailure: true } };
          }),
    };
  }

  private rememberPlanned(step: string): void {
    if (this.plannedHere.size >= PLANNED_HERE_MAX) this.plannedHere.delete(this.plannedHere.values().next().value as string);
    this.plannedHere.add(step);
  }

  /**
   * The ranges of each commit's parents (for commits with ranges): the batch's own metaranges,
   * else the parents' rows in one query and their metaranges read once each.
   */
  private async parentRangesOf(context: MirrorContext, read: ReadCommit[]): Promise<Map<string, RangeInfo[]>> {
    const byMetaRange = new Map(read.map((r) => [r.commit.metaRangeId, r.ranges]));
    const withRanges = read.filter((r) => r.ranges.length > 0);
    const parentIds = [...new Set(withRanges.flatMap((r) => r.commit.parents))];
    const parents = await this.commits.getMany(context.mirror.id, parentIds);
    const s3 = withRanges[0]?.s3;
    await mapWithConcurrency(
      parents.filter((p) => p.metaRangeId !== '' && !byMetaRange.has(p.metaRangeId)),
      this.settings.requestConcurrency,
      async (parent) => {
        byMetaRange.set(parent.metaRangeId, await this.parentMetaRange(s3 as CountingS3, context.namespace, parent));
      },
    );
    const parentsById = new Map(parents.map((p) => [p.commitId, p]));
    return new Map(
      withRanges.map((r) => [
        r.commit.commitId,
        r.commit.parents.flatMap((id) => {
          const parent = parentsById.get(id);
          return parent && parent.metaRangeId !== '' ? (byMetaRange.get(parent.metaRangeId) ?? []) : [];
        }),
      ]),
    );
  }

  /**
   * A parent commit's ranges. None of them needs checking for its children, verified yet or
   * not, and their objects count as present: a commit is recorded only once every parent is
   * (the promoter records parents first, and a parent missing from PostgreSQL holds it for good),
   * and a recorded commit had each of its ranges verified, by itself or, the same way, through its
   * own parents. A parent metarange not in the mirror bucket, unreadable or with no valid ID only
   * means no shortcut (the parent's own plan reports it); any other failure is raised.
   */
  private async parentMetaRange(s3: CountingS3, namespace: StorageNamespace, parent: MirrorCommit): Promise<RangeInfo[]> {
    try {
      const location = metadataFileOf(namespace, parent.metaRangeId, parent);
      return await readMetaRange(new S3ObjectSource(s3.client, location.bucket, location.key));
    } catch (error) {
      if (error instanceof RangeReaderError || error instanceof MalformedAddressError) return [];
      throw error;
    }
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

function stepOf(mirrorId: string, commitId: string, generation: number): string {
  return `${mirrorId}/${commitId}/${generation}`;
}
