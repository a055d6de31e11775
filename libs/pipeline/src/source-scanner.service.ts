import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { collect } from '@lakemirror/lakefs-client';
import { branchChanges, branchFilterMatcher, tagChanges } from '@lakemirror/mirroring';
import { BranchStateRepository, MirrorCommitRepository, MirrorEntity, MirrorTagRepository } from '@lakemirror/persistence';
import type { Ref } from '@lakemirror/lakefs-client';
import { PinoLogger } from 'nestjs-pino';
import { MirrorContexts } from './mirror-contexts';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { ReconcilerService } from './reconciler.service';
import { ScannerService } from './scanner.service';
import { TagListingSchedule } from './tag-listing-schedule';

export interface SourceScanResult {
  mirrors: number;
  /** Mirrors the listing showed a change for: each scanned in full. */
  scanned: number;
  /** Mirrors with commits in flight or branches awaiting promotion: each reconciled. */
  reconciled: number;
}

/** A tag created, moved or deleted on the source since the mirror last looked. */
function tagsChanged(listed: Ref[], followed: Map<string, string> = new Map()): boolean {
  const changes = tagChanges(listed, followed);
  return changes.created.length + changes.moved.length + changes.deleted.length > 0;
}

/**
 * The scan interval's work for one source repository: its branches (and, when a mirror follows
 * them and TagListingSchedule says so, its tags) listed once, compared with what every mirror of the source last observed (one
 * query for all of them). An idle mirror costs nothing more; a mirror the listing shows a change
 * for is scanned in full, under its own lock and with a listing of its own taken there, so that
 * a listing older than one a "scan now" already applied never moves its observations back.
 * Mirrors with commits in flight are reconciled, paused ones included.
 */
@Injectable()
export class SourceScannerService {
  private readonly tagListings: TagListingSchedule;

  constructor(
    private readonly contexts: MirrorContexts,
    private readonly branches: BranchStateRepository,
    private readonly commits: MirrorCommitRepository,
    private readonly tags: MirrorTagRepository,
    private readonly scanner: ScannerService,
    private readonly reconciler: ReconcilerService,
    private readonly log: PinoLogger,
    @Inject(PIPELINE_SETTINGS) settings: PipelineSettings,
  ) {
    this.tagListings = new TagListingSchedule(settings.tagScanIntervalMs, settings.scanIntervalMs);
  }

  async scanSource(sourceRepository: string): Promise<SourceScanResult> {
    const mirrors = await this.contexts.activeOfSource(sourceRepository);
    const failures: unknown[] = [];
    // One mirror's broken configuration (a region removed) must not stop the others of the source.
    const attempt = async (mirror: MirrorEntity, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        failures.push(error);
        this.log.warn({ mirror: mirror.id, source: sourceRepository, err: error }, 'scan of a mirror failed');
      }
    };
    const configured: MirrorEntity[] = [];
    for (const mirror of mirrors) await attempt(mirror, async () => configured.push(this.contexts.of(mirror).mirror));
    const following = configured.filter((m) => !m.pausedAt);
    const toScan = new Set<string>();
    let tagsListed: Ref[] | undefined;
    let tagsListedAt = 0;
    if (following.length > 0) {
      const listed = await collect(this.contexts.source.listBranches(sourceRepository));
      const tagging = following.filter((m) => m.mirrorTags).map((m) => m.id);
      tagsListedAt = performance.now();
      const listingTags = tagging.length > 0 && this.tagListings.due(sourceRepository, tagsListedAt);
      tagsListed = listingTags ? await collect(this.contexts.source.listTags(sourceRepository, { amount: 1000 })) : undefined;
      const [known, followedTags, actionableTags] = await Promise.all([
        this.branches.sourceHeadsOf(following.map((m) => m.id)),
        tagsListed ? this.tags.followedOf(tagging) : new Map<string, Map<string, string>>(),
        this.tags.mirrorsWithActionable(tagging),
      ]);
      for (const mirror of following) {
        const changed =
          this.branchesChanged(mirror, listed, known.get(mirror.id)) ||
          (mirror.mirrorTags && (actionableTags.has(mirror.id) || (tagsListed !== undefined && tagsChanged(tagsListed, followedTags.get(mirror.id)))));
        if (changed) toScan.add(mirror.id);
      }
    }
    for (const mirrorId of toScan) {
      const mirror = mirrors.find((m) => m.id === mirrorId) as MirrorEntity;
      await attempt(mirror, () => this.scanner.scanMirror(mirrorId));
    }
    const rest = configured.filter((m) => !toScan.has(m.id)).map((m) => m.id);
    const [unfinished, awaiting] = await Promise.all([this.commits.mirrorsWithUnfinished(rest), this.branches.mirrorsAwaitingPromotion(rest)]);
    const toReconcile = rest.filter((id) => unfinished.has(id) || awaiting.has(id));
    for (const mirrorId of toReconcile) {
      await attempt(mirrors.find((m) => m.id === mirrorId) as MirrorEntity, () => this.reconciler.reconcile(mirrorId));
    }
    if (failures.length > 0) throw failures[0];
    // Only a listing whose changes were all taken in counts: after a failed scan, the next poll lists the tags again.
    if (tagsListed) this.tagListings.listed(sourceRepository, tagsListedAt);
    return { mirrors: mirrors.length, scanned: toScan.size, reconciled: toReconcile.length };
  }

  private branchesChanged(mirror: MirrorEntity, listed: Ref[], known: Map<string, string> = new Map()): boolean {
    const follows = branchFilterMatcher({ include: mirror.branchInclude, exclude: mirror.branchExclude });
    const changes = branchChanges(
      listed.filter((b) => follows(b.id)),
      known,
    );
    return changes.created.length + changes.moved.length + changes.deleted.length > 0;
  }
}
