import { Inject, Injectable } from '@nestjs/common';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig, RegionConfig, StorageNamespace } from '@lakemirror/config';
import type { Repository } from '@lakemirror/lakefs-client';
import {
  InvalidStorageNamespaceError,
  formatStorageNamespace,
  isSameObjectStore,
  isWithinNamespace,
  namespacesOverlap,
  parseStorageNamespace,
} from '@lakemirror/object-store';
import { MirrorNameTakenError, MirrorNamespaceTakenError, MirrorPlacement, MirrorRepository, NewMirror } from '@lakemirror/persistence';
import { badRequest, conflict } from '../common/api-errors';

// lakeFS reads a namespace as a URL: an escape, a query or a fragment could make it see another path than the one checked here.
const URL_SYNTAX = /[%?#]/;

/**
 * Where a new mirror may keep its objects: inside one of its region's configured roots, not
 * overlapping another mirror nor its source repository on the same object store.
 */
@Injectable()
export class MirrorPlacementService {
  constructor(
    @Inject(LAKEMIRROR_CONFIG) private readonly config: LakemirrorConfig,
    private readonly mirrors: MirrorRepository,
  ) {}

  /** @throws 400 unless the namespace equals or lies below one of the region's roots. */
  mustBeAllowed(namespace: string, region: RegionConfig): StorageNamespace {
    const roots = region.storageNamespaces.map((root) => `${formatStorageNamespace(root)}/`).join(', ');
    if (URL_SYNTAX.test(namespace)) {
      const reason = 'must not contain "%", "?" or "#"';
      throw badRequest(`storage_namespace ${reason}`, { storage_namespace: reason });
    }
    const parsed = parseStorageNamespace(namespace);
    if (!region.storageNamespaces.some((root) => isWithinNamespace(parsed, root))) {
      throw badRequest(`storage_namespace "${namespace}" is outside the storage namespaces allowed in region ${region.name}: ${roots}`, {
        storage_namespace: `must be inside one of: ${roots}`,
      });
    }
    return parsed;
  }

  /**
   * @throws 409 when the namespace overlaps the source repository's own on the same object store
   * (a mirror there would be the source's own files; lakemirror would then write into them).
   */
  mustNotOverlapSource(namespace: StorageNamespace, region: RegionConfig, source: Repository): void {
    if (!isSameObjectStore(region.objectStore, this.config.source.objectStore)) return;
    let sourceNamespace: StorageNamespace;
    try {
      sourceNamespace = parseStorageNamespace(source.storage_namespace);
    } catch (error) {
      // Not an s3:// namespace (local://, gs://, ...): it cannot share keys with an s3:// one.
      if (error instanceof InvalidStorageNamespaceError) return;
      throw error;
    }
    if (namespacesOverlap(namespace, sourceNamespace)) {
      throw conflict(
        `storage_namespace "${formatStorageNamespace(namespace)}" overlaps ${source.storage_namespace}, the storage namespace of source repository "${source.id}" in the same object store`,
      );
    }
  }

  /**
   * Inserts the mirror in state "creating" unless its namespace equals, contains or lies inside
   * another mirror's on the same object store (checked and inserted under one lock).
   * @throws 409 naming the other mirror, or when the name is taken.
   */
  async insertCreating(mirror: NewMirror, region: RegionConfig, namespace: StorageNamespace): Promise<void> {
    try {
      await this.mirrors.insertCreating(mirror, (placed) => placed.find((other) => this.mayShareKeys(namespace, region, other)));
    } catch (error) {
      if (error instanceof MirrorNamespaceTakenError) {
        const other = error.other;
        throw conflict(
          `storage_namespace "${mirror.storageNamespace}" overlaps ${other.storageNamespace}, the storage namespace of mirror "${other.id}" of repository "${other.sourceRepository}" in region ${other.region}`,
        );
      }
      if (error instanceof MirrorNameTakenError) throw conflict(error.message);
      throw error;
    }
  }

  private mayShareKeys(namespace: StorageNamespace, region: RegionConfig, other: MirrorPlacement): boolean {
    const otherRegion = this.config.regions.find((r) => r.name === other.region);
    // A mirror of a region no longer configured: its object store is unknown, so assume it is this one.
    const sameStore = !otherRegion || otherRegion.name === region.name || isSameObjectStore(otherRegion.objectStore, region.objectStore);
    return sameStore && namespacesOverlap(namespace, parseStorageNamespace(other.storageNamespace));
  }
}
