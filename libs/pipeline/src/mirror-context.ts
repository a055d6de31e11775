import type { LakemirrorConfig, RegionConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { RegionObjectStores, StorageNamespace, parseStorageNamespace } from '@lakemirror/object-store';
import { MirrorEntity } from '@lakemirror/persistence';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DataSource } from 'typeorm';

/** Everything a job needs to work on one mirror: its row, its region's lakeFS and object store, its namespace. */
export interface MirrorContext {
  mirror: MirrorEntity;
  region: RegionConfig;
  destination: LakefsClient;
  mirrorS3: S3Client;
  namespace: StorageNamespace;
}

/** Builds mirror contexts, reusing one lakeFS client and one S3 client per region. */
export class MirrorContexts {
  readonly source: LakefsClient;
  private readonly stores: RegionObjectStores;
  private readonly destinations = new Map<string, LakefsClient>();

  constructor(
    private readonly config: LakemirrorConfig,
    private readonly db: DataSource,
  ) {
    this.source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
    this.stores = new RegionObjectStores(config);
  }

  /** The active mirror `mirrorId`, or undefined when it is gone, being created or being deleted (jobs then do nothing). */
  async active(mirrorId: string): Promise<MirrorContext | undefined> {
    const mirror = await this.db.getRepository(MirrorEntity).findOneBy({ id: mirrorId });
    if (!mirror || mirror.state !== 'active') return undefined;
    const region = this.config.regions.find((r) => r.name === mirror.region);
    if (!region) throw new Error(`mirror ${mirrorId} is in region ${mirror.region}, which this deployment does not configure`);
    let destination = this.destinations.get(region.name);
    if (!destination) {
      destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
      this.destinations.set(region.name, destination);
    }
    return { mirror, region, destination, mirrorS3: this.stores.region(region.name), namespace: parseStorageNamespace(mirror.storageNamespace) };
  }

  async activeMirrorIds(): Promise<string[]> {
    const mirrors = await this.db.getRepository(MirrorEntity).find({ where: { state: 'active' }, select: { id: true }, order: { id: 'ASC' } });
    return mirrors.map((m) => m.id);
  }

  close(): void {
    this.stores.destroy();
  }
}
