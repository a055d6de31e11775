import { S3Client } from '@aws-sdk/client-s3';
import { LakemirrorConfig, RegionConfig, loadConfig, regionEnvPrefix } from '@lakemirror/config';
import { LakefsClient } from '@lakemirror/lakefs-client';
import { createS3Client } from '@lakemirror/object-store';
import { localBuckets } from '@lakemirror/testing';

/** One mirror region of the local environment: its destination lakeFS and its object store. */
export interface TestRegion {
  config: RegionConfig;
  lakefs: LakefsClient;
  s3: S3Client;
  bucket: string;
}

/** The local environment (scripts/env-up.sh), as clients ready for tests. */
export interface TestEnvironment {
  config: LakemirrorConfig;
  source: { lakefs: LakefsClient; s3: S3Client; bucket: string };
  regionB: TestRegion;
}

function clientsOf(region: RegionConfig, bucket: string): TestRegion {
  return {
    config: region,
    lakefs: new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs }),
    s3: createS3Client(region.objectStore),
    bucket,
  };
}

/** Another region of the local environment, e.g. "region-c", with the bucket env-up.sh made for it. */
export function testRegion(name: string, env: NodeJS.ProcessEnv = process.env): TestRegion {
  const region = loadConfig(env).regions.find((r) => r.name === name);
  if (!region) throw new Error(`${name} is not configured: run scripts/env-up.sh`);
  const bucketVariable = `${regionEnvPrefix(name)}BUCKET`;
  const bucket = env[bucketVariable];
  if (!bucket) throw new Error(`${bucketVariable} is not set: run scripts/env-up.sh`);
  return clientsOf(region, bucket);
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
    regionB: clientsOf(region, buckets.regionB),
  };
}
