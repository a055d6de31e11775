import { S3Client } from '@aws-sdk/client-s3';
import type { LakemirrorConfig } from '@lakemirror/config';
import { createS3Client } from './s3-client.factory';

export class UnknownRegionError extends Error {
  readonly code = 'UNKNOWN_REGION';

  constructor(
    readonly region: string,
    readonly known: string[],
  ) {
    super(`unknown region "${region}"; configured regions: ${known.join(', ') || 'none'}`);
    this.name = 'UnknownRegionError';
  }
}

/** One S3 client per configured region (and one for the source), created on first use and reused. */
export class RegionObjectStores {
  private readonly clients = new Map<string, S3Client>();
  private sourceClient?: S3Client;

  constructor(private readonly config: Pick<LakemirrorConfig, 'source' | 'regions'>) {}

  get source(): S3Client {
    this.sourceClient ??= createS3Client(this.config.source.objectStore);
    return this.sourceClient;
  }

  /** @throws UnknownRegionError naming the configured regions. */
  region(name: string): S3Client {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const region = this.config.regions.find((r) => r.name === name);
    if (!region)
      throw new UnknownRegionError(
        name,
        this.config.regions.map((r) => r.name),
      );
    const client = createS3Client(region.objectStore);
    this.clients.set(name, client);
    return client;
  }

  /** Closes every client's connections (on shutdown). */
  destroy(): void {
    for (const client of [...this.clients.values(), ...(this.sourceClient ? [this.sourceClient] : [])]) client.destroy();
    this.clients.clear();
    this.sourceClient = undefined;
  }
}
