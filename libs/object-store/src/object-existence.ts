import { HeadObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './bounded-map';
import type { ObjectLocation } from './object-location';

export interface ExistenceReport {
  present: ObjectLocation[];
  missing: ObjectLocation[];
}

/** Whether one object exists. Access and server errors are thrown: they are not evidence of absence. */
export async function objectExists(s3: S3Client, location: ObjectLocation): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound) return false;
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
    throw error;
  }
}

/** Checks many objects with at most `concurrency` HEAD requests in flight. */
export async function checkObjectsExist(
  s3: S3Client,
  locations: readonly ObjectLocation[],
  options: { concurrency?: number } = {},
): Promise<ExistenceReport> {
  const exists = await mapWithConcurrency(locations, options.concurrency ?? 32, (location) => objectExists(s3, location));
  const report: ExistenceReport = { present: [], missing: [] };
  locations.forEach((location, i) => (exists[i] ? report.present : report.missing).push(location));
  return report;
}
