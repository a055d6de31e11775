// Test support: the object stores of the local two-region environment (scripts/env-up.sh), for
// this library's integration tests. Built here from the configuration, not taken from
// @lakemirror/test-environment, which depends on this library.
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '@lakemirror/config';
import { localBuckets } from '@lakemirror/testing';
import { createS3Client } from './s3-client.factory';

export interface LocalObjectStores {
  /** Region B's MinIO and bucket (region A's bucket replicates to it). */
  regionB: { s3: S3Client; bucket: string };
}

export function localObjectStores(): LocalObjectStores {
  const config = loadConfig();
  const region = config.regions.find((r) => r.name === 'region-b');
  if (!region) throw new Error('region-b is not configured: run scripts/env-up.sh');
  const buckets = localBuckets();
  return { regionB: { s3: createS3Client(region.objectStore), bucket: buckets.regionB } };
}
