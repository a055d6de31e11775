import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './bounded-map';
import { BucketNotFoundError, objectExists } from './object-existence';

export interface PresenceOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** A folder with at least this many wanted keys is LISTed (1,000 keys a request) instead of HEADed key by key. */
  listThreshold?: number;
}

export interface PresenceReport {
  missing: string[];
  /** Object-store requests made, for cost accounting and benchmarks. */
  requests: number;
}

function folderOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * Which of `keys` are absent from `bucket`. lakeFS writes a commit's objects close together
 * (data/<partition>/<time-ordered id>), so keys are grouped by folder: a folder holding many
 * wanted keys is read with LIST from just before its first wanted key to its last, a sparse
 * one with a HEAD per key. A missing bucket throws BucketNotFoundError.
 */
export async function findMissingKeys(s3: S3Client, bucket: string, keys: readonly string[], options: PresenceOptions = {}): Promise<PresenceReport> {
  const listThreshold = options.listThreshold ?? 20;
  const folders = new Map<string, string[]>();
  for (const key of [...new Set(keys)].sort()) {
    const folder = folderOf(key);
    const group = folders.get(folder);
    if (group) group.push(key);
    else folders.set(folder, [key]);
  }
  const listed = [...folders.values()].filter((group) => group.length >= listThreshold);
  const headed = [...folders.values()].filter((group) => group.length < listThreshold).flat();
  let requests = 0;
  const missing: string[] = [];

  await mapWithConcurrency(listed, options.concurrency ?? 16, async (group) => {
    const wanted = new Set(group);
    const last = group[group.length - 1];
    let token: string | undefined;
    do {
      requests++;
      const page = await s3
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: folderOf(group[0]),
            // A proper prefix of the first key sorts before it: the listing starts right there.
            StartAfter: token ? undefined : group[0].slice(0, -1),
            ContinuationToken: token,
          }),
        )
        .catch((error: unknown) => {
          if ((error as { name?: string }).name === 'NoSuchBucket') throw new BucketNotFoundError(bucket);
          throw error;
        });
      let pastLast = false;
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        wanted.delete(object.Key);
        if (object.Key >= last) pastLast = true;
      }
      token = pastLast ? undefined : page.NextContinuationToken;
    } while (token);
    missing.push(...wanted);
  });

  const present = await mapWithConcurrency(headed, options.concurrency ?? 16, (key) => {
    requests++;
    return objectExists(s3, { bucket, key });
  });
  headed.forEach((key, i) => present[i] || missing.push(key));
  return { missing: missing.sort(), requests };
}
