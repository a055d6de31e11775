import { S3Client } from '@aws-sdk/client-s3';
import { LakemirrorConfig, RegionConfig, loadConfig } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client } from '@lakemirror/object-store';

/** The local two-region environment (scripts/env-up.sh), as clients ready for tests. */
export interface TestEnvironment {
  config: LakemirrorConfig;
  source: { lakefs: LakefsClient; s3: S3Client; bucket: string };
  regionB: { config: RegionConfig; lakefs: LakefsClient; s3: S3Client; bucket: string };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/env-up.sh`);
  return value;
}

export function testEnvironment(): TestEnvironment {
  const config = loadConfig();
  const region = config.regions.find((r) => r.name === 'region-b');
  if (!region) throw new Error('region-b is not configured: run scripts/env-up.sh');
  return {
    config,
    source: {
      lakefs: new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs }),
      s3: createS3Client(config.source.objectStore),
      bucket: required('LAKEMIRROR_SOURCE_BUCKET'),
    },
    regionB: {
      config: region,
      lakefs: new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs }),
      s3: createS3Client(region.objectStore),
      bucket: required('LAKEMIRROR_REGION_REGION_B_BUCKET'),
    },
  };
}

/** A name no other test run uses, valid as a lakeFS repository name and an S3 key segment. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
