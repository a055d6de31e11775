import { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStoreConfig } from '@lakemirror/config';

/** Connecting may take this long; an object store that accepts but never completes a connection fails the attempt. */
export const S3_CONNECT_TIMEOUT_MS = 5_000;
/** A request may go this long without a byte either way: the SDK has no limit of its own, so an unanswered request would hang its job forever. */
export const S3_IDLE_TIMEOUT_MS = 15_000;

/**
 * An S3 client for one region's object store (path-style addressing for MinIO and other local stores).
 * `idleTimeoutMs` replaces S3_IDLE_TIMEOUT_MS for requests the store may take long to answer.
 */
export function createS3Client(config: ObjectStoreConfig, options: { idleTimeoutMs?: number } = {}): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials && {
      accessKeyId: config.credentials.accessKeyId,
      secretAccessKey: config.credentials.secretAccessKey.reveal(),
    },
    maxAttempts: 5,
    requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, socketTimeout: options.idleTimeoutMs ?? S3_IDLE_TIMEOUT_MS },
  });
}
