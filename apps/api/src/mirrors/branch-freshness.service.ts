import { Injectable } from '@nestjs/common';
import { StaleReason, secondsSince } from '@lakemirror/mirroring';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { BranchStatus, StatusService } from '@lakemirror/pipeline';
import { readMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { notFound } from '../common/api-errors';

/** Whether a mirror branch may be read by a job that refuses stale data, and why not. */
export interface BranchFreshness {
  message: string;
  mirror: string;
  branch: string;
  stale: boolean;
  stale_reason: StaleReason | null;
  lag_seconds: number;
  lag_commits: number;
  max_lag_seconds: number | null;
  paused: boolean;
  source_head: string | null;
  mirrored_head: string | null;
}

/** The freshness check of one mirror branch, from the lag the status computes, for who may read the source. */
@Injectable()
export class BranchFreshnessService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly statuses: StatusService,
    private readonly authorizer: AuthorizerService,
  ) {}

  async freshness(caller: Caller, sourceRepository: string, id: string, branch: string): Promise<BranchFreshness> {
    await this.authorizer.require(caller, readMirrorPermissions(sourceRepository), {
      action: 'mirror.freshness',
      target: `${sourceRepository}/${id}/${branch}`,
    });
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror || mirror.state === 'deleting') throw notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
    const now = new Date();
    const status = await this.statuses.branchStatusOfMirror(id, mirror, branch, now);
    if (!status) throw notFound(`branch "${branch}" of mirror "${id}" not found (not seen on the source "${sourceRepository}", or deleted there)`);
    return {
      message: describe(mirror, status, secondsSince(mirror.pausedAt, now.getTime())),
      mirror: id,
      branch,
      stale: status.stale ?? false,
      stale_reason: status.stale_reason ?? null,
      lag_seconds: status.lag_seconds,
      lag_commits: status.lag_commits,
      max_lag_seconds: mirror.maxLagSeconds,
      paused: Boolean(mirror.pausedAt),
      source_head: status.source_head,
      mirrored_head: status.mirrored_head,
    };
  }
}

function describe(mirror: MirrorEntity, status: BranchStatus, pausedForSeconds: number | null): string {
  const which = `branch "${status.branch}" of mirror "${mirror.id}"`;
  const lag = `${status.lag_commits} source commit(s) not on the mirror, the oldest ${status.lag_seconds} s old`;
  if (mirror.maxLagSeconds === null) return `${which}: ${lag}; the mirror sets no max_lag_seconds, so it is never stale`;
  if (status.stale_reason === 'lag') return `${which} is stale: ${lag}, over max_lag_seconds ${mirror.maxLagSeconds}`;
  if (status.stale_reason === 'paused') {
    return `${which} is stale: the mirror has been paused for ${pausedForSeconds} s, longer than max_lag_seconds ${mirror.maxLagSeconds}, and source commits since the pause are unknown`;
  }
  return `${which} is fresh: ${lag}, within max_lag_seconds ${mirror.maxLagSeconds}`;
}
