import { Inject, Injectable } from '@nestjs/common';
import { updateMissingObjects } from '@lakemirror/mirroring';
import { parseStorageNamespace } from '@lakemirror/object-store';
import {
  BranchBehind,
  BranchPending,
  BranchProgress,
  BranchStateRepository,
  CommitChunkRepository,
  MirrorAuditRepository,
  MirrorCommit,
  MirrorCommitRepository,
  MirrorEntity,
  MirrorRepository,
  MirrorTagRepository,
  MissingObject,
  MissingObjectRepository,
  StatusQueriesRepository,
  VerifiedRangeRepository,
  mirrorBranchKey,
} from '@lakemirror/persistence';
import { AuditSummary, auditSummaryOf } from './audit-report';
import { branchStatusFrom, freshnessRuleOf, isBehind, isUpToDate } from './branch-status';
import type { BranchStatus, CommitInFlight, MirrorStatus, RegionStatus, TagWaiting } from './mirror-status.dto';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { RegionReachability } from './region-reachability';

/** A mirror's branches as read, with its row (undefined when the mirror is gone). */
interface MirrorBranches {
  mirrorId: string;
  mirror: MirrorEntity | undefined;
  branches: BranchProgress[];
}

/**
 * The status of a mirror for people: per branch how far behind, per commit in flight how far
 * along and what is missing. The mirror row is read once, the independent reads run at once, and
 * the branches' lag takes at most two queries whatever their number (status calls must stay fast
 * with hundreds of mirrors).
 */
@Injectable()
export class StatusService {
  constructor(
    private readonly commits: MirrorCommitRepository,
    private readonly branches: BranchStateRepository,
    private readonly chunks: CommitChunkRepository,
    private readonly missing: MissingObjectRepository,
    private readonly verifiedRanges: VerifiedRangeRepository,
    private readonly mirrors: MirrorRepository,
    private readonly reachability: RegionReachability,
    private readonly tags: MirrorTagRepository,
    private readonly audits: MirrorAuditRepository,
    private readonly queries: StatusQueriesRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
  ) {}

  async mirrorStatus(mirrorId: string, now = new Date()): Promise<MirrorStatus> {
    return this.statusOf(mirrorId, await this.mirrors.find(mirrorId), now);
  }

  /** mirrorStatus of a mirror whose row the caller has just read. */
  statusOfMirror(mirror: MirrorEntity, now = new Date()): Promise<MirrorStatus> {
    return this.statusOf(mirror.id, mirror, now);
  }

  private async statusOf(mirrorId: string, mirror: MirrorEntity | undefined, now: Date): Promise<MirrorStatus> {
    const [branches, progress, missingByCommit, unfinished, objectsOutsideNamespace, region, tagsWaiting, lastAudit] = await Promise.all([
      this.branches.all(mirrorId).then((read) => this.branchStatusesOf([{ mirrorId, mirror, branches: read }], now)),
      this.chunks.progressOfUnfinished(mirrorId),
      this.missing.byCommit(mirrorId),
      this.commits.unfinished(mirrorId),
      this.verifiedRanges.fullAddressObjects(mirrorId),
      this.regionStatus(mirror),
      this.tagsWaiting(mirrorId, mirror),
      this.lastAudit(mirrorId),
    ]);
    const inFlight = unfinished.map((commit) => this.commitInFlight(commit, missingByCommit.get(commit.commitId) ?? [], progress, now));
    return {
      mirror: mirrorId,
      paused: Boolean(mirror?.pausedAt),
      paused_at: mirror?.pausedAt?.toISOString() ?? null,
      max_lag_seconds: mirror?.maxLagSeconds ?? null,
      stalled: inFlight.some((c) => c.stalled),
      stall_after_seconds: this.settings.stallAfterSeconds,
      branches: branches.get(mirrorId) ?? [],
      in_flight: inFlight,
      failed_commits: inFlight.filter((c) => c.state === 'failed').length,
      objects_outside_namespace: objectsOutsideNamespace,
      region,
      tags_waiting: tagsWaiting,
      last_audit: lastAudit,
    };
  }

  private commitInFlight(commit: MirrorCommit, missing: MissingObject[], progress: Map<string, { checked: number; total: number }>, now: Date): CommitInFlight {
    const objects = updateMissingObjects(
      missing,
      missing.map((m) => m.key),
      now,
      this.settings.stallAfterSeconds,
    ).verdict;
    const { checked, total } = progress.get(commit.commitId) ?? { checked: 0, total: 0 };
    return {
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
    };
  }

  /** The mirror's most recent consistency audit, with its progress while it runs. */
  private async lastAudit(mirrorId: string): Promise<AuditSummary | null> {
    const audit = await this.audits.latest(mirrorId);
    return audit ? auditSummaryOf(audit) : null;
  }

  private async tagsWaiting(mirrorId: string, mirror: MirrorEntity | undefined): Promise<TagWaiting[]> {
    if (!mirror?.mirrorTags) return [];
    return (await this.tags.waiting(mirrorId)).map((t) => ({ tag: t.tag, commit_id: t.commitId, since: t.observedAt.toISOString() }));
  }

  private async regionStatus(mirror: MirrorEntity | undefined): Promise<RegionStatus | undefined> {
    return mirror && this.reachability.of(mirror.region, parseStorageNamespace(mirror.storageNamespace).bucket);
  }

  /** Each branch's lag as the status shows it. */
  async branchStatuses(mirrorId: string, now = new Date()): Promise<BranchStatus[]> {
    const [mirror, branches] = await Promise.all([this.mirrors.find(mirrorId), this.branches.all(mirrorId)]);
    return (await this.branchStatusesOf([{ mirrorId, mirror, branches }], now)).get(mirrorId) ?? [];
  }

  /** Per mirror, each branch's lag as the status shows it (what the lag history samples): a few queries for all of them. */
  async branchStatusesOfMirrors(mirrors: MirrorEntity[], now = new Date()): Promise<Map<string, BranchStatus[]>> {
    const branches = await this.branches.allOfMirrors(mirrors.map((m) => m.id));
    return this.branchStatusesOf(
      mirrors.map((mirror) => ({ mirrorId: mirror.id, mirror, branches: branches.get(mirror.id) ?? [] })),
      now,
    );
  }

  /** One branch's status, or undefined when the mirror has no such branch: what a freshness check answers from. */
  async branchStatusOf(mirrorId: string, branch: string, now = new Date()): Promise<BranchStatus | undefined> {
    return this.branchStatusOfMirror(mirrorId, await this.mirrors.find(mirrorId), branch, now);
  }

  /** branchStatusOf for a mirror whose row the caller has just read (undefined: the mirror is gone). */
  async branchStatusOfMirror(mirrorId: string, mirror: MirrorEntity | undefined, branch: string, now = new Date()): Promise<BranchStatus | undefined> {
    const progress = (await this.branches.all(mirrorId)).find((b) => b.branch === branch);
    if (!progress) return undefined;
    const [status] = (await this.branchStatusesOf([{ mirrorId, mirror, branches: [progress] }], now)).get(mirrorId) ?? [];
    return status;
  }

  /**
   * The branches' statuses, per mirror in the order read. A branch at its source head has it
   * recorded, so only branches behind it are asked for unrecorded commits, and only branches not
   * up to date for the observation still pending: one query each for all branches, at once.
   */
  private async branchStatusesOf(of: MirrorBranches[], now: Date): Promise<Map<string, BranchStatus[]>> {
    const behind: BranchBehind[] = [];
    const pending: BranchPending[] = [];
    for (const { mirrorId, branches } of of) {
      for (const b of branches) {
        if (isBehind(b)) behind.push({ mirrorId, branch: b.branch, sourceHead: b.sourceHead });
        if (!isUpToDate(b)) pending.push({ mirrorId, branch: b.branch, mirroredSequence: b.mirroredSequence });
      }
    }
    const [unrecorded, pendingSince] = await Promise.all([this.queries.unrecordedBehind(behind), this.queries.firstPendingObservedAt(pending)]);
    const statuses = new Map<string, BranchStatus[]>();
    for (const { mirrorId, mirror, branches } of of) {
      const rule = freshnessRuleOf(mirror, now);
      statuses.set(
        mirrorId,
        branches.map((b) => {
          const key = mirrorBranchKey(mirrorId, b.branch);
          return branchStatusFrom(b, unrecorded.get(key) ?? [], pendingSince.get(key), now, rule);
        }),
      );
    }
    return statuses;
  }
}
