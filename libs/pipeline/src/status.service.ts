import { Inject, Injectable } from '@nestjs/common';
import { FreshnessRule, branchLag, branchStaleness, secondsSince, updateMissingObjects } from '@lakemirror/mirroring';
import { parseStorageNamespace } from '@lakemirror/object-store';
import {
  BranchProgress,
  BranchStateRepository,
  CommitChunkRepository,
  MirrorAuditRepository,
  MirrorCommitRepository,
  MirrorRepository,
  MirrorTagRepository,
  MissingObjectRepository,
  ObservedHeadRepository,
  VerifiedRangeRepository,
} from '@lakemirror/persistence';
import { AuditSummary, auditSummaryOf } from './audit-report';
import type { BranchStatus, CommitInFlight, MirrorStatus, RegionStatus, TagWaiting } from './mirror-status.dto';
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
    private readonly tags: MirrorTagRepository,
    private readonly audits: MirrorAuditRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
  ) {}

  async mirrorStatus(mirrorId: string, now = new Date()): Promise<MirrorStatus> {
    const stallAfterSeconds = this.settings.stallAfterSeconds;
    const branches = await this.branchStatuses(mirrorId, now);
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
      ...(await this.pauseAndLimit(mirrorId)),
      stalled: inFlight.some((c) => c.stalled),
      stall_after_seconds: stallAfterSeconds,
      branches,
      in_flight: inFlight,
      failed_commits: inFlight.filter((c) => c.state === 'failed').length,
      objects_outside_namespace: await this.verifiedRanges.fullAddressObjects(mirrorId),
      region: await this.regionStatus(mirrorId),
      tags_waiting: await this.tagsWaiting(mirrorId),
      last_audit: await this.lastAudit(mirrorId),
    };
  }

  /** The mirror's most recent consistency audit, with its progress while it runs. */
  private async lastAudit(mirrorId: string): Promise<AuditSummary | null> {
    const audit = await this.audits.latest(mirrorId);
    return audit ? auditSummaryOf(audit) : null;
  }

  private async tagsWaiting(mirrorId: string): Promise<TagWaiting[]> {
    if (!(await this.mirrors.find(mirrorId))?.mirrorTags) return [];
    return (await this.tags.waiting(mirrorId)).map((t) => ({ tag: t.tag, commit_id: t.commitId, since: t.observedAt.toISOString() }));
  }

  /** Each branch's lag as the status shows it (what the lag history samples). */
  async branchStatuses(mirrorId: string, now = new Date()): Promise<BranchStatus[]> {
    const rule = await this.freshnessRule(mirrorId, now);
    return Promise.all((await this.branches.all(mirrorId)).map((b) => this.branchStatus(mirrorId, b, now, rule)));
  }

  /** One branch's status, or undefined when the mirror has no such branch: what a freshness check answers from. */
  async branchStatusOf(mirrorId: string, branch: string, now = new Date()): Promise<BranchStatus | undefined> {
    const progress = (await this.branches.all(mirrorId)).find((b) => b.branch === branch);
    return progress && this.branchStatus(mirrorId, progress, now, await this.freshnessRule(mirrorId, now));
  }

  private async freshnessRule(mirrorId: string, now: Date): Promise<FreshnessRule> {
    const mirror = await this.mirrors.find(mirrorId);
    return { maxLagSeconds: mirror?.maxLagSeconds ?? null, pausedForSeconds: secondsSince(mirror?.pausedAt ?? null, now.getTime()) };
  }

  private async pauseAndLimit(mirrorId: string): Promise<Pick<MirrorStatus, 'paused' | 'paused_at' | 'max_lag_seconds'>> {
    const mirror = await this.mirrors.find(mirrorId);
    return { paused: Boolean(mirror?.pausedAt), paused_at: mirror?.pausedAt?.toISOString() ?? null, max_lag_seconds: mirror?.maxLagSeconds ?? null };
  }

  private async regionStatus(mirrorId: string): Promise<RegionStatus | undefined> {
    const mirror = await this.mirrors.find(mirrorId);
    return mirror && this.reachability.of(mirror.region, parseStorageNamespace(mirror.storageNamespace).bucket);
  }

  private async branchStatus(mirrorId: string, branch: BranchProgress, now: Date, rule: FreshnessRule): Promise<BranchStatus> {
    // A mirror branch at the source head has it recorded, so nothing behind it is unrecorded: no query for an up-to-date branch.
    const behind = branch.sourceHead !== null && branch.sourceHead !== branch.mirroredHead;
    const unrecorded = behind ? await this.commits.unrecordedBehindWithState(mirrorId, branch.sourceHead as string) : [];
    const lag = branchLag(
      unrecorded.map((c) => ({ creation_date: c.creationDate })),
      now.getTime(),
    );
    const upToDate = branch.mirroredSequence >= branch.observedSequence;
    if (!upToDate && lag.commits === 0) {
      const [pending] = await this.observedHeads.after(mirrorId, branch.branch, branch.mirroredSequence);
      if (pending) lag.seconds = Math.max(0, Math.floor((now.getTime() - pending.observedAt.getTime()) / 1000));
    }
    const staleness = branchStaleness(lag, rule);
    return {
      branch: branch.branch,
      source_head: branch.sourceHead,
      mirrored_head: branch.mirroredHead,
      lag_commits: lag.commits,
      lag_seconds: lag.seconds,
      up_to_date: upToDate,
      held_by_failed_commits: unrecorded.filter((c) => c.state === 'failed').map((c) => c.commitId),
      stale: staleness.stale,
      stale_reason: staleness.reason,
    };
  }
}
