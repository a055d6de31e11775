/** One range of a metarange: a content-addressed SSTable of up to ~50k entries. */
export interface RangeInfo {
  /** The range's ID: also its file name under <namespace>/_lakefs/. */
  id: string;
  minKey: string;
  maxKey: string;
  count: number;
  estimatedSize: number;
}

/** Where one object of a commit lives: all that checking its presence needs. */
export interface RangeEntryAddress {
  address: string;
  addressType: 'relative' | 'full';
}

/**
 * One object of a commit, as lakeFS records it. `addressType` "relative" objects live under the
 * repository's namespace (carried by namespace replication); "full" ones live anywhere.
 */
export interface RangeEntry {
  path: string;
  address: string;
  addressType: 'relative' | 'full';
  size: number;
  etag: string;
  lastModified: Date;
  contentType: string;
  metadata: Record<string, string>;
}
