/** Where a range entry's object lives: relative to the repository's namespace, or a full address anywhere. */
export interface EntryAddress {
  addressType: 'relative' | 'full';
  address: string;
}

/** The entries [firstEntry, endEntry) of a range, by index in key order: one chunk. */
export interface EntryWindow {
  firstEntry: number;
  endEntry: number;
}

/** What a chunk's check must do: the relative addresses to look up, and how many entries needed no lookup. */
export interface ChunkEntries {
  /** One per entry, in range order (a repeated address repeats; the presence check dedupes). */
  toLookUp: string[];
  /** Entries outside the namespace: replication does not carry them, so they never count as present. */
  fullAddress: number;
  /** Entries a verified base range already proved present. */
  skipped: number;
}

/**
 * What checking one entry takes. A full address is outside the namespace, even when the same
 * string appears among `knownPresent` (which holds relative addresses only); a relative
 * address held by a verified base range is present already (lakeFS never rewrites an
 * address); any other must be looked up.
 */
export function entryCheck(entry: EntryAddress, knownPresent: ReadonlySet<string>): 'outside-namespace' | 'known-present' | 'look-up' {
  if (entry.addressType === 'full') return 'outside-namespace';
  return knownPresent.has(entry.address) ? 'known-present' : 'look-up';
}

/**
 * Sorts the entries of one chunk of a range by `entryCheck`. Reads `entries` (a range's, from
 * its first) up to the window's last entry and no further, so a chunk early in a long range
 * does not read the rest of its file; at least one entry is always asked for, so a missing
 * range file surfaces even for an empty range. An empty or negative window is a RangeError.
 */
export async function classifyChunkEntries(
  entries: Iterable<EntryAddress> | AsyncIterable<EntryAddress>,
  window: EntryWindow,
  knownPresent: ReadonlySet<string>,
): Promise<ChunkEntries> {
  const { firstEntry, endEntry } = window;
  if (!Number.isInteger(firstEntry) || firstEntry < 0 || !Number.isInteger(endEntry) || endEntry <= firstEntry) {
    throw new RangeError(`entry window must be non-negative integers with firstEntry < endEntry, got [${firstEntry}, ${endEntry})`);
  }
  const chunk: ChunkEntries = { toLookUp: [], fullAddress: 0, skipped: 0 };
  let index = 0;
  for await (const entry of entries) {
    if (index >= firstEntry) {
      const check = entryCheck(entry, knownPresent);
      if (check === 'outside-namespace') chunk.fullAddress++;
      else if (check === 'known-present') chunk.skipped++;
      else chunk.toLookUp.push(entry.address);
    }
    if (++index >= endEntry) break;
  }
  return chunk;
}
