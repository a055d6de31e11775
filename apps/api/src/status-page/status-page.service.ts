import { Inject, Injectable } from '@nestjs/common';
import { LagSampleRepository, MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { StatusService } from '@lakemirror/pipeline';
import { arns } from '@lakemirror/policies';
import { API_SETTINGS, ApiSettings } from '../api-settings';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import type { MirrorPanel, StatusPageModel } from './status-page.view';

// The page shows a day of lag, or what the retention keeps when that is shorter.
const HISTORY_MS = 24 * 3_600_000;
const REFRESH_SECONDS = 30;

/**
 * What the status page shows a caller: every active mirror of a source repository the caller
 * may read (as for GET .../mirrors/{id}/status), with its status and its branches' lag history.
 */
@Injectable()
export class StatusPageService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly statuses: StatusService,
    private readonly samples: LagSampleRepository,
    private readonly authorizer: AuthorizerService,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  /** @throws 403 (audited) when the caller may not list repositories at all. */
  async model(caller: Caller, now = new Date()): Promise<StatusPageModel> {
    await this.authorizer.require(caller, [{ action: 'fs:ListRepositories', resource: '*' }], { action: 'status_page.get', target: '*' });
    const historyMs = Math.min(HISTORY_MS, this.settings.pipeline.lagRetentionHours * 3_600_000);
    const panels: MirrorPanel[] = [];
    for (const mirror of await this.readableMirrors(caller)) panels.push(await this.panel(mirror, new Date(now.getTime() - historyMs)));
    return {
      user: caller.userId,
      generatedAt: now,
      historyMs,
      sampleIntervalMs: this.settings.pipeline.lagSampleIntervalMs,
      refreshSeconds: REFRESH_SECONDS,
      mirrors: panels,
    };
  }

  /** Active mirrors, by source repository then name, of the sources the caller may read. */
  private async readableMirrors(caller: Caller): Promise<MirrorEntity[]> {
    const mirrors = await this.mirrors.active();
    const readable = new Map<string, boolean>();
    for (const source of new Set(mirrors.map((m) => m.sourceRepository))) {
      readable.set(source, await this.authorizer.allows(caller, [{ action: 'fs:ReadRepository', resource: arns.repository(source) }]));
    }
    return mirrors
      .filter((m) => readable.get(m.sourceRepository))
      .sort((a, b) => a.sourceRepository.localeCompare(b.sourceRepository) || a.id.localeCompare(b.id));
  }

  private async panel(mirror: MirrorEntity, since: Date): Promise<MirrorPanel> {
    const [status, history] = await Promise.all([this.statuses.statusOfMirror(mirror), this.samples.historySince(mirror.id, since)]);
    return {
      id: mirror.id,
      sourceRepository: mirror.sourceRepository,
      region: mirror.region,
      status,
      history: history.map((h) => ({ branch: h.branch, points: h.samples.map((s) => ({ at: s.sampledAt, lagSeconds: s.lagSeconds })) })),
    };
  }
}
