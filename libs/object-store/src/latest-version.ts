import { HeadObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { BucketNotFoundError } from './object-existence';

/**
 * What a bucket holds under one key, by its latest version: nothing at all (never written, or
 * every version deleted), an object, or a delete marker. A delete marker is a `replica` when
 * the bucket's replication put it there (the delete happened in the replicated-from bucket);
 * otherwise it was made by a delete in this bucket itself.
 */
export type LatestVersion = { kind: 'absent' } | { kind: 'object'; versionId: string } | { kind: 'delete-marker'; versionId: string; replica: boolean };

/** Where a store says a delete marker is a replica: S3's header, and the one MinIO sets on a replicated delete marker. */
const REPLICA_HEADERS = ['x-amz-replication-status', 'x-minio-replication-deletemarker-status'];

/**
 * The latest version of `key`: one LIST of versions (the key's own come first, newest first),
 * and for a delete marker one HEAD of it, whose replication status REPLICA tells a replicated
 * delete marker (MinIO answers `x-minio-replication-deletemarker-status: REPLICA` on the
 * target's copy). A store that does not mark replicated delete markers makes every delete
 * marker count as local.
 */
export async function latestVersionOf(s3: S3Client, bucket: string, key: string): Promise<LatestVersion> {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 10 })).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'NoSuchBucket') throw new BucketNotFoundError(bucket);
    throw error;
  });
  const object = (page.Versions ?? []).find((v) => v.Key === key && v.IsLatest);
  if (object) return { kind: 'object', versionId: object.VersionId ?? 'null' };
  const marker = (page.DeleteMarkers ?? []).find((m) => m.Key === key && m.IsLatest);
  if (!marker) return { kind: 'absent' };
  const versionId = marker.VersionId ?? 'null';
  return { kind: 'delete-marker', versionId, replica: await isReplica(s3, bucket, key, versionId) };
}

/** A HEAD of a delete marker's version is answered 405 with the marker's headers; the SDK keeps the raw response on the error. */
async function isReplica(s3: S3Client, bucket: string, key: string, versionId: string): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return head.ReplicationStatus === 'REPLICA';
  } catch (error) {
    const response = (error as { $response?: { statusCode?: number; headers?: Record<string, string> } }).$response;
    if (response?.statusCode !== 405 && response?.statusCode !== 404) throw error;
    const headers = new Map(Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value).toUpperCase()]));
    return REPLICA_HEADERS.some((name) => headers.get(name) === 'REPLICA');
  }
}
