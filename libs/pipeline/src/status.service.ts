import { Inject, Injectable } from '@nestjs/common';
import { branchLag, updateMissingObjects } from '@lakemirror/mirroring';
import { parseStorageNamespace } from '@lakemirror/object-store';
import {
  BranchProgress,
  BranchStateRepository,
  CommitChunkRepository,
  MirrorCommitRepository,
  MirrorRepository,
  MissingObjectRepository,
  ObservedHeadRepository,
  VerifiedRangeRepository,
} from '@lakemirror/persistence';
import type { BranchStatus, CommitInFlight, MirrorStatus, RegionStatus } from './mirror-status.dto';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { RegionReachability } from './region-reachability';

/** The status of a mirror for people: per branch how far behind, per commit in flight how far along and what is missing. */
@Injectable()
export class StatusService {
  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly observedHeads: ObservedHeadRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly missing: MissingObjectRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly mirrors: MirrorRepository,
    private readonly reachability: RegionReachability,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
  ) {}

  async mirrorStatus(mirrorId: string, now = new Date()): Promise<MirrorStatus> {
    const stallAfterSeconds = this.settings.stallAfterSeconds;
    const branches = await Promise.all((await this.branches.all(mirrorId)).map((b) => this.branchStatus(mirrorId, b, now)));
    const progress = await this.chunks.progressOfUnfinished(mirrorId);
    const missingByCommit = await this.missing.byCommit(mirrorId);
    const inFlight: CommitInFlight[] = [];
    for (const commit of await this.commits.unfinished(mirrorId)) {
      const missing = missingByCommit.get(commit.commitId) ?? [];
      const objects = updateMissingObjects(
        missing,
        missing.map((m) => m.key),
        now,
        stallAfterSeconds,
      ).verdict;
      const { checked, total } = progress.get(commit.commitId) ?? { checked: 0, total: 0 };
      inFlight.push({
        commit_id: commit.commitId,
        message: commit.sourceCommit.message,
        state: commit.state,
        objects_checked: checked,
        objects_total: total,
        missing_objects: objects.objects.map((o) => ({ key: o.key, missing_since: o.missingSince.toISOString(), missing_for_seconds: o.missingForSeconds })),
        stalled: objects.stalled,
        failure_reason: commit.failure?.reason ?? null,
        last_error: commit.failure?.error ?? null,
        failed_at: commit.failure?.failedAt.toISOString() ?? null,
      });
    }
    return {
      mirror: mirrorId,
      stalled: inFlight.some((c) => c.stalled),
      stall_after_seconds: stallAfterSeconds,
      branches,
      in_flight: inFlight,
      failed_commits: inFlight.filter((c) => c.state === 'failed').length,
      objects_outside_namespace: await this.verifiedRanges.fullAddressObjects(mirrorId),
      region: await this.regionStatus(mirrorId),
    };
  }

  private async regionStatus(mirrorId: string): Promise<RegionStatus | undefined> {
    const mirror = await this.mirrors.find(mirrorId);
    return mirror && this.reachability.of(mirror.region, parseStorageNamespace(mirror.storageNamespace).bucket);
  }

  private async branchStatus(mirrorId: string, branch: BranchProgress, now: Date): Promise<BranchStatus> {
    const unrecorded = branch.sourceHead ? await this.commits.unrecordedBehindWithState(mirrorId, branch.sourceHead) : [];
    const lag = branchLag(
      unrecorded.map((c) => ({ creation_date: c.creationDate })),
      now.getTime(),
    );
    const upToDate = branch.mirroredSequence >= branch.observedSequence;
    if (!upToDate && lag.commits === 0) {
      const [pending] = await this.observedHeads.after(mirrorId, branch.branch, branch.mirroredSequence);
      if (pending) lag.seconds = Math.max(0, Math.floor((now.getTime() - pending.observedAt.getTime()) / 1000));
    }
    return {
      branch: branch.branch,
      source_head: branch.sourceHead,
      mirrored_head: branch.mirroredHead,
      lag_commits: lag.commits,
      lag_seconds: lag.seconds,
      up_to_date: upToDate,
      held_by_failed_commits: unrecorded.filter((c) => c.state === 'failed').map((c) => c.commitId),
    };
  }
}
