import { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStoreConfig } from '@lakemirror/config';

/** An S3 client for one region's object store (path-style addressing for MinIO and other local stores). */
export function createS3Client(config: ObjectStoreConfig): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials && {
      accessKeyId: config.credentials.accessKeyId,
      secretAccessKey: config.credentials.secretAccessKey.reveal(),
    },
    maxAttempts: 5,
  });
}
