import { S3Client } from '@aws-sdk/client-s3';
import { mapWithConcurrency } from './bounded-map';
import { listKeysPage } from './list-page';
import { BucketNotFoundError, objectExists } from './object-existence';
import { RecentListings } from './recent-listings';

export interface PresenceOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  /** A folder with at least this many wanted keys is LISTed (1,000 keys a request) instead of HEADed key by key. */
  listThreshold?: number;
  /**
   * A listed folder is read as independent spans of at most this many wanted keys, in parallel:
   * each span costs at most one page more than reading the folder in one stream.
   */
  spanKeys?: number;
  /**
   * LIST pages read lately, shared by checks of neighbouring keys (see RecentListings): a span they
   * show whole is not listed again, and a span that is listed reads a full first page for the next.
   */
  recentListings?: RecentListings;
  /** Called as LIST pages come back, with the number of keys they held. */
  onListed?: (keys: number) => void;
}

export interface PresenceReport {
  missing: string[];
  /** Object-store requests made, for cost accounting and benchmarks. */
  requests: number;
}

/** The most keys S3 returns in one LIST page. */
const PAGE_KEYS = 1000;

/** Room on a span's first page for objects between its wanted keys that are not wanted. */
const FIRST_PAGE_ROOM = 16;

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
  return findMissingUnder(s3, bucket, '', [...new Set(keys)].sort(), options);
}

/**
 * Which of `addresses` (keys relative to `prefix`, sorted and unique) are absent from `bucket`,
 * as findMissingKeys, for a commit's whole set of objects at once: the addresses stay relative
 * (no key string is built per object), a large folder is listed as parallel spans, and the
 * missing ones come back relative too. Listing a namespace once this way costs about one request
 * per 1,000 objects however the objects are spread over the commit's ranges.
 */
export async function findMissingUnder(
  s3: S3Client,
  bucket: string,
  prefix: string,
  addresses: readonly string[],
  options: PresenceOptions = {},
): Promise<PresenceReport> {
  const listThreshold = options.listThreshold ?? 20;
  const spanKeys = options.spanKeys ?? Number.POSITIVE_INFINITY;
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const folders = new Map<string, number[]>();
  addresses.forEach((address, i) => {
    const folder = folderOf(address);
    const group = folders.get(folder);
    if (group) group.push(i);
    else folders.set(folder, [i]);
  });
  const spans: number[][] = [];
  const headed: number[] = [];
  for (const group of folders.values()) {
    if (group.length < listThreshold) headed.push(...group);
    else for (let at = 0; at < group.length; at += spanKeys) spans.push(group.slice(at, at + spanKeys));
  }
  folders.clear();
  let requests = 0;
  const missing: string[] = [];

  await mapWithConcurrency(spans, options.concurrency ?? 16, async (span) => {
    const wanted = new Set(span.map((i) => addresses[i]));
    const folder = base + folderOf(addresses[span[0]]);
    const first = base + addresses[span[0]];
    const last = base + addresses[span[span.length - 1]];
    const recent = options.recentListings;
    if (
      recent &&
      (await recent.allPresent(
        bucket,
        folder,
        [...wanted].map((address) => base + address),
      ))
    )
      return;
    // A proper prefix of the first key sorts before it: the listing starts right there.
    const startAfter = first.slice(0, -1);
    const listPage = async (token: string | undefined, maxKeys: number) => {
      requests++;
      return listKeysPage(s3, { bucket, prefix: folder, startAfter: token ? undefined : startAfter, continuationToken: token, maxKeys }).catch(
        (error: unknown) => {
          if ((error as { name?: string }).name === 'NoSuchBucket') throw new BucketNotFoundError(bucket);
          throw error;
        },
      );
    };
    let token: string | undefined;
    do {
      const page = token
        ? await listPage(token, PAGE_KEYS)
        : recent
          ? // A full first page: the keys after this span's are likely the next checks' (see RecentListings).
            await recent.listing(bucket, folder, startAfter, async () => {
              const result = await listPage(undefined, PAGE_KEYS);
              return { keys: result.keys, result };
            })
          : // A small span's keys are usually side by side (one commit's uploads): its first page asks for
            // about that many, not 1,000, so the store reads and sends far less; later pages take the most.
            await listPage(undefined, Math.min(PAGE_KEYS, span.length + FIRST_PAGE_ROOM));
      let pastLast = false;
      for (const key of page.keys) {
        wanted.delete(key.slice(base.length));
        if (key >= last) pastLast = true;
      }
      options.onListed?.(page.keys.length);
      token = pastLast ? undefined : page.nextToken;
    } while (token);
    missing.push(...wanted);
  });

  const present = await mapWithConcurrency(headed, options.concurrency ?? 16, (i) => {
    requests++;
    return objectExists(s3, { bucket, key: base + addresses[i] });
  });
  headed.forEach((i, n) => present[n] || missing.push(addresses[i]));
  return { missing: missing.sort(), requests };
}
