import { S3Client } from '@aws-sdk/client-s3';
import { LakemirrorConfig, RegionConfig, loadConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client } from '@lakemirror/object-store';
import { localBuckets } from '@lakemirror/testing';

/** The local two-region environment (scripts/env-up.sh), as clients ready for tests. */
export interface TestEnvironment {
  config: LakemirrorConfig;
  source: { lakefs: LakefsClient; s3: S3Client; bucket: string };
  regionB: { config: RegionConfig; lakefs: LakefsClient; s3: S3Client; bucket: string };
}

export function testEnvironment(env: NodeJS.ProcessEnv = process.env): TestEnvironment {
  const config = loadConfig(env);
  const region = config.regions.find((r) => r.name === 'region-b');
  if (!region) throw new Error('region-b is not configured: run scripts/env-up.sh');
  const buckets = localBuckets(env);
  return {
    config,
    source: {
      lakefs: new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs }),
      s3: createS3Client(config.source.objectStore),
      bucket: buckets.source,
    },
    regionB: {
      config: region,
      lakefs: new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs }),
      s3: createS3Client(region.objectStore),
      bucket: buckets.regionB,
    },
  };
}
