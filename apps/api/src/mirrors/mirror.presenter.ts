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
  };
}
