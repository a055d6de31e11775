import { Inject, Injectable } from '@nestjs/common';
import { branchLag, updateMissingObjects } from '@lakemirror/mirroring';
import {
  BranchProgress,
  BranchStateRepository,
  CommitChunkRepository,
  MirrorCommitRepository,
  MissingObjectRepository,
  ObservedHeadRepository,
  VerifiedRangeRepository,
} from '@lakemirror/persistence';
import type { BranchStatus, CommitInFlight, MirrorStatus } from './mirror-status.dto';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';

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
      });
    }
    return {
      mirror: mirrorId,
      stalled: inFlight.some((c) => c.stalled),
      stall_after_seconds: stallAfterSeconds,
      branches,
      in_flight: inFlight,
      objects_outside_namespace: await this.verifiedRanges.fullAddressObjects(mirrorId),
    };
  }

  private async branchStatus(mirrorId: string, branch: BranchProgress, now: Date): Promise<BranchStatus> {
    const unrecorded = branch.sourceHead ? await this.commits.unrecordedBehind(mirrorId, branch.sourceHead) : [];
    const lag = branchLag(
      unrecorded.map((creationDate) => ({ creation_date: creationDate })),
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
    };
  }
}
