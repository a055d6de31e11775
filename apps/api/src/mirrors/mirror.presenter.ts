import type { MirrorEntity } from '@lakemirror/persistence';

/** A mirror as the API shows it. */
export interface MirrorResource {
  id: string;
  name: string;
  source_repository: string;
  region: string;
  storage_namespace: string;
  state: string;
  creation_date: number;
  created_at: string;
  created_by: string;
  /** A paused mirror is not scanned and its repository is not changed (POST .../pause, .../resume). */
  paused: boolean;
  /** Since when it is paused (ISO time); null while it runs. */
  paused_at: string | null;
  /** How old a branch's lag may grow before the branch is stale; null: no limit. */
  max_lag_seconds: number | null;
  /** Whether the source's tags are mirrored. */
  mirror_tags: boolean;
  /** Which source branches the mirror follows (glob patterns): one of include and none of exclude. */
  branches: { include: string[]; exclude: string[] };
}

export function presentMirror(mirror: MirrorEntity): MirrorResource {
  return {
    id: mirror.id,
    name: mirror.id,
    source_repository: mirror.sourceRepository,
    region: mirror.region,
    storage_namespace: mirror.storageNamespace,
    state: mirror.state,
    creation_date: Math.floor(mirror.createdAt.getTime() / 1000),
    created_at: mirror.createdAt.toISOString(),
    created_by: mirror.createdBy,
    paused: Boolean(mirror.pausedAt),
    paused_at: mirror.pausedAt?.toISOString() ?? null,
    max_lag_seconds: mirror.maxLagSeconds ?? null,
    mirror_tags: mirror.mirrorTags,
    branches: { include: mirror.branchInclude, exclude: mirror.branchExclude },
  };
}
