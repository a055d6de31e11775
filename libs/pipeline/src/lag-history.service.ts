import { Inject, Injectable } from '@nestjs/common';
import { LagSample, LagSampleRepository, MirrorRepository } from '@lakemirror/persistence';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { StatusService } from './status.service';

/** The start of the sampling interval `now` falls in: every scanner names the same interval the same way. */
export function sampleIntervalStart(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/** The oldest sample the retention keeps at `now`. */
export function retentionCutoff(now: Date, retentionHours: number): Date {
  return new Date(now.getTime() - retentionHours * 3_600_000);
}

/**
 * The lag history: every branch of every active mirror sampled at once (read in a few queries
 * whatever the number of mirrors), written in one insert per interval; samples older than the
 * retention deleted on the way.
 */
@Injectable()
export class LagHistoryService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly statuses: StatusService,
    private readonly samples: LagSampleRepository,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
  ) {}

  /** Samples every branch's lag now; returns the number of samples written (or already there for this interval). */
  async sample(now = new Date()): Promise<number> {
    const taken: LagSample[] = [];
    const mirrors = await this.mirrors.active();
    const statuses = await this.statuses.branchStatusesOfMirrors(mirrors, now);
    for (const { id: mirrorId } of mirrors) {
      for (const branch of statuses.get(mirrorId) ?? []) {
        taken.push({ mirrorId, branch: branch.branch, lagSeconds: branch.lag_seconds, lagCommits: branch.lag_commits });
      }
    }
    await this.samples.append(sampleIntervalStart(now, this.settings.lagSampleIntervalMs), taken);
    await this.samples.deleteBefore(retentionCutoff(now, this.settings.lagRetentionHours));
    return taken.length;
  }
}
