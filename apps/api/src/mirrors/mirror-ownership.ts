import type { Repository } from '@lakemirror/lakefs-client';
import type { MirrorEntity } from '@lakemirror/persistence';

/**
 * The repository metadata lakemirror sets on every mirror repository it creates: on a retry,
 * the proof that a repository of that name is this mirror's, not someone else's to take over.
 */
export const MIRROR_MARKER_KEY = 'lakemirror.mirror';
const CREATED_AT_KEY = 'lakemirror.mirror_created_at';

type MirrorRow = Pick<MirrorEntity, 'id' | 'sourceRepository' | 'storageNamespace' | 'createdAt'>;

/** The marker of the mirror row: its identity and the time of the creation it belongs to. */
export function mirrorMarker(mirror: MirrorRow): Record<string, string> {
  return { [MIRROR_MARKER_KEY]: `${mirror.sourceRepository}/${mirror.id}`, [CREATED_AT_KEY]: mirror.createdAt.toISOString() };
}

/**
 * Whether an existing repository was created by lakemirror for this very mirror row, so that
 * a retry may finish the creation: read-only on the same namespace and either marked for this
 * row, or unmarked, created after the row by an earlier try that stopped before marking it
 * (`rowPredatesRequest`). lakeFS dates repositories in seconds, by its own clock.
 */
export function isOwnMirrorRepository(repository: Repository, metadata: Record<string, string>, mirror: MirrorRow, rowPredatesRequest: boolean): boolean {
  if (!repository.read_only || repository.storage_namespace !== mirror.storageNamespace) return false;
  const marker = mirrorMarker(mirror);
  if (metadata[MIRROR_MARKER_KEY] !== undefined) return Object.entries(marker).every(([key, value]) => metadata[key] === value);
  return rowPredatesRequest && repository.creation_date >= Math.floor(mirror.createdAt.getTime() / 1000);
}
