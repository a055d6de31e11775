import type { MirrorEntity, MirrorPromotionEntity } from '@lakemirror/persistence';

/** A mirror's promotion to a writable repository, as the API shows it. */
export interface PromotionResource {
  mirror: string;
  source_repository: string;
  region: string;
  /** The mirror's state: `promoting` until every step is done, then `promoted`. */
  state: string;
  /** The last step done: stopped, dumped, deleted, created, restored, done. */
  step: string;
  forced: boolean;
  requested_by: string;
  requested_at: string;
  completed_at: string | null;
  /** Branch and tag → commit ID, as the mirror held them when mirroring stopped (null until the refs are dumped). */
  branches: Record<string, string> | null;
  tags: Record<string, string> | null;
  /** Verified work a forced promotion left behind. */
  discarded: { verified_commits: string[]; branches: { branch: string; mirrored_head: string | null; verified_head: string }[] };
  /** Why the last try stopped short, until the promotion is done. */
  last_error: string | null;
}

export function presentPromotion(mirror: MirrorEntity, promotion: MirrorPromotionEntity): PromotionResource {
  return {
    mirror: mirror.id,
    source_repository: mirror.sourceRepository,
    region: mirror.region,
    state: mirror.state,
    step: promotion.step,
    forced: promotion.forced,
    requested_by: promotion.requestedBy,
    requested_at: promotion.requestedAt.toISOString(),
    completed_at: promotion.completedAt?.toISOString() ?? null,
    branches: promotion.branches,
    tags: promotion.tags,
    discarded: {
      verified_commits: promotion.discarded.verifiedCommits ?? [],
      branches: (promotion.discarded.branches ?? []).map((b) => ({ branch: b.branch, mirrored_head: b.mirroredHead, verified_head: b.verifiedHead })),
    },
    last_error: promotion.lastError,
  };
}
