import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { S3Client } from '@aws-sdk/client-s3';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig, RegionConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { RegionObjectStores, UnknownRegionError } from '@lakemirror/object-store';

/**
 * One lakeFS client for the source and one per region, one S3 client per region: built once,
 * shared by every service of the process, and closed with it.
 */
@Injectable()
export class RegionClients implements OnApplicationShutdown {
  readonly source: LakefsClient;
  private readonly stores: RegionObjectStores;
  private readonly destinations = new Map<string, LakefsClient>();

  constructor(@Inject(LAKEMIRROR_CONFIG) private readonly config: LakemirrorConfig) {
    this.source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
    this.stores = new RegionObjectStores(config);
  }

  /** @throws UnknownRegionError */
  region(name: string): RegionConfig {
    const region = this.config.regions.find((r) => r.name === name);
    if (!region) throw new UnknownRegionError(name, this.regionNames());
    return region;
  }

  regionNames(): string[] {
    return this.config.regions.map((r) => r.name);
  }

  /** The destination lakeFS of a region. @throws UnknownRegionError */
  destination(regionName: string): LakefsClient {
    const region = this.region(regionName);
    let client = this.destinations.get(region.name);
    if (!client) {
      client = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
      this.destinations.set(region.name, client);
    }
    return client;
  }

  /** The object store of a region. @throws UnknownRegionError */
  objectStore(regionName: string): S3Client {
    return this.stores.region(this.region(regionName).name);
  }

  onApplicationShutdown(): void {
    this.stores.destroy();
  }
}
