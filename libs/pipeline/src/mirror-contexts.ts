import { Injectable } from '@nestjs/common';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RegionConfig } from '@lakemirror/config';
import type { LakefsClient } from '@lakemirror/lakefs-client';
import { StorageNamespace, UnknownRegionError, parseStorageNamespace } from '@lakemirror/object-store';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { RegionNotConfiguredError } from './pipeline.errors';
import { RegionClients } from './region-clients';

/** Everything a job needs to work on one mirror: its row, its region's lakeFS and object store, its namespace. */
export interface MirrorContext {
  mirror: MirrorEntity;
  region: RegionConfig;
  destination: LakefsClient;
  mirrorS3: S3Client;
  namespace: StorageNamespace;
}

/** Builds mirror contexts on the process's shared clients. */
@Injectable()
export class MirrorContexts {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly clients: RegionClients,
  ) {}

  get source(): LakefsClient {
    return this.clients.source;
  }

  /**
   * The active mirror `mirrorId`, or undefined when it is gone, being created or being deleted
   * (jobs then do nothing). @throws RegionNotConfiguredError when its region was removed from the
   * configuration: permanent, until the region is configured again.
   */
  async active(mirrorId: string): Promise<MirrorContext | undefined> {
    const mirror = await this.mirrors.find(mirrorId);
    if (!mirror || mirror.state !== 'active') return undefined;
    return this.of(mirror);
  }

  /** The context of a mirror row already read. @throws RegionNotConfiguredError as `active` does. */
  of(mirror: MirrorEntity): MirrorContext {
    try {
      return {
        mirror,
        region: this.clients.region(mirror.region),
        destination: this.clients.destination(mirror.region),
        mirrorS3: this.clients.objectStore(mirror.region),
        namespace: parseStorageNamespace(mirror.storageNamespace),
      };
    } catch (error) {
      if (error instanceof UnknownRegionError) throw new RegionNotConfiguredError(mirror.id, error.region, error.known);
      throw error;
    }
  }

  /** The active mirrors of one source repository, in one query. */
  activeOfSource(sourceRepository: string): Promise<MirrorEntity[]> {
    return this.mirrors.activeOfSource(sourceRepository);
  }

  activeSourceRepositories(): Promise<string[]> {
    return this.mirrors.activeSourceRepositories();
  }

  activeMirrorIds(): Promise<string[]> {
    return this.mirrors.activeIds();
  }
}
