// Test support: the lakeFS servers of the local two-region environment (scripts/env-up.sh), and
// their object stores, for this library's integration tests. Built here from the configuration,
// not taken from @lakemirror/test-environment, which depends on this library.
import { S3Client } from '@aws-sdk/client-s3';
import { LakemirrorConfig, loadConfig } from '@lakemirror/config';
import { createS3Client } from '@lakemirror/object-store';
import { localBuckets } from '@lakemirror/testing';
import { LakefsClient } from './lakefs-client';

export interface LocalLakefs {
  config: LakemirrorConfig;
  /** The source lakeFS, on region A's bucket (replicated to region B by MinIO). */
  source: { lakefs: LakefsClient; s3: S3Client; bucket: string };
  /** The destination lakeFS, on region B's bucket. */
  regionB: { lakefs: LakefsClient; s3: S3Client; bucket: string };
}

export function localLakefs(): LocalLakefs {
  const config = loadConfig();
  const region = config.regions.find((r) => r.name === 'region-b');
  if (!region) throw new Error('region-b is not configured: run scripts/env-up.sh');
  const buckets = localBuckets();
  return {
    config,
    source: {
      lakefs: new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs }),
      s3: createS3Client(config.source.objectStore),
      bucket: buckets.source,
    },
    regionB: {
      lakefs: new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs }),
      s3: createS3Client(region.objectStore),
      bucket: buckets.regionB,
    },
  };
}
