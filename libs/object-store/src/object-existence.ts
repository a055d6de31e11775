import { HeadBucketCommand, HeadObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './bounded-map';
import type { ObjectLocation } from './object-location';

export interface ExistenceReport {
  present: ObjectLocation[];
  missing: ObjectLocation[];
}

/** The bucket itself is absent: a configuration problem, never evidence that an object has not arrived yet. */
export class BucketNotFoundError extends Error {
  readonly code = 'BUCKET_NOT_FOUND';

  constructor(readonly bucket: string) {
    super(`bucket "${bucket}" does not exist`);
    this.name = 'BucketNotFoundError';
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
}

async function headObject(s3: S3Client, location: ObjectLocation): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

// A HEAD answer has no body, so a missing key and a missing bucket both look like 404:
// whenever something is missing, confirm once per bucket that the bucket is there.
async function assertBucketsExist(s3: S3Client, buckets: Iterable<string>): Promise<void> {
  for (const bucket of new Set(buckets)) {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      if (isNotFound(error)) throw new BucketNotFoundError(bucket);
      throw error;
    }
  }
}

/**
 * Whether one object exists. A missing bucket, access and server errors are thrown: they are
 * not evidence of absence.
 */
export async function objectExists(s3: S3Client, location: ObjectLocation): Promise<boolean> {
  const exists = await headObject(s3, location);
  if (!exists) await assertBucketsExist(s3, [location.bucket]);
  return exists;
}

/** Checks many objects with at most `concurrency` HEAD requests in flight. */
export async function checkObjectsExist(s3: S3Client, locations: readonly ObjectLocation[], options: { concurrency?: number } = {}): Promise<ExistenceReport> {
  const exists = await mapWithConcurrency(locations, options.concurrency ?? 32, (location) => headObject(s3, location));
  const report: ExistenceReport = { present: [], missing: [] };
  locations.forEach((location, i) => (exists[i] ? report.present : report.missing).push(location));
  if (report.missing.length > 0)
    await assertBucketsExist(
      s3,
      report.missing.map((location) => location.bucket),
    );
  return report;
}
