import { BufferSource, ByteSource } from './byte-source';
import { BlockCursor } from './block';
import { decodeEntryAddress, decodeRangeEntry, utf8 } from './lakefs-entry.decoder';
import { RangeDataMessage } from './lakefs-protos';
import { decodeLakefsValue } from './lakefs-value';
import { RangeReaderError } from './range-reader.errors';
import type { RangeEntry, RangeEntryAddress, RangeInfo } from './range.types';
import { SSTableReader, userKeyLength } from './sstable-reader';

async function openLakefsTable(source: ByteSource, expectedType: 'ranges' | 'metaranges'): Promise<SSTableReader> {
  const table = await SSTableReader.open(source);
  const type = table.properties.get('type');
  if (type !== expectedType) {
    throw new RangeReaderError('WRONG_KIND', source.name, `expected a lakeFS ${expectedType} file, found type ${JSON.stringify(type ?? null)}`);
  }
  return table;
}

/** protobufjs gives 64-bit integers as numbers or as Long objects (when the value needs it). */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value ?? 0);
}

/** The ranges of a metarange, in key order. */
export async function readMetaRange(source: ByteSource): Promise<RangeInfo[]> {
  const table = await openLakefsTable(source, 'metaranges');
  const ranges: RangeInfo[] = [];
  for await (const { key, value } of table.entries()) {
    const { identity, data } = decodeLakefsValue(value, source.name, key);
    let decoded: { min_key?: Uint8Array; max_key?: Uint8Array; estimated_size?: unknown; count?: unknown };
    try {
      decoded = RangeDataMessage.toObject(RangeDataMessage.decode(data), { longs: Number }) as typeof decoded;
    } catch (error) {
      throw new RangeReaderError('UNDECODABLE_ENTRY', source.name, `range data of ${JSON.stringify(key.toString())}: ${(error as Error).message}`);
    }
    ranges.push({
      id: identity.toString(),
      minKey: Buffer.from(decoded.min_key ?? key).toString(),
      maxKey: Buffer.from(decoded.max_key ?? key).toString(),
      count: toNumber(decoded.count),
      estimatedSize: toNumber(decoded.estimated_size),
    });
  }
  return ranges;
}

/**
 * The entries (objects) of a range, in path order, streamed one array per run of data blocks at
 * hand (see SSTableReader.dataBlockRuns): the fast path (no per-entry await, no protobuf library,
 * no per-entry key buffers).
 */
export async function* readRangeEntryBatches(source: ByteSource): AsyncGenerator<RangeEntry[]> {
  const table = await openLakefsTable(source, 'ranges');
  for await (const run of table.dataBlockRuns()) {
    const batch: RangeEntry[] = [];
    for (const { block, offset } of run) {
      const cursor = new BlockCursor(block, source.name, offset);
      while (cursor.next()) {
        const path = utf8(cursor.key, 0, userKeyLength(cursor, source.name, offset));
        batch.push(decodeRangeEntry(path, block, cursor.valueStart, cursor.valueEnd, source.name));
      }
    }
    yield batch;
  }
}

/**
 * Where each object of a range lives, in path order, one array per run of data blocks at hand:
 * what a presence check reads, decoded without the entries' paths (their keys' bytes are skipped)
 * and other fields.
 */
export async function* readRangeAddressBatches(source: ByteSource): AsyncGenerator<RangeEntryAddress[]> {
  const table = await openLakefsTable(source, 'ranges');
  for await (const run of table.dataBlockRuns()) {
    const batch: RangeEntryAddress[] = [];
    for (const { block, offset } of run) {
      const cursor = new BlockCursor(block, source.name, offset, false);
      const pathOf = () => pathOfEntryAt(block, cursor.entryStart, source.name, offset);
      while (cursor.next()) batch.push(decodeEntryAddress(block, cursor.valueStart, cursor.valueEnd, source.name, pathOf));
    }
    yield batch;
  }
}

/** The path of the entry whose header starts at `entryStart`: the block walked again with its keys, to name a bad entry. */
function pathOfEntryAt(block: Buffer, entryStart: number, file: string, blockOffset: number): string {
  const cursor = new BlockCursor(block, file, blockOffset);
  while (cursor.next()) if (cursor.entryStart === entryStart) return utf8(cursor.key, 0, userKeyLength(cursor, file, blockOffset));
  return `(the entry at byte ${entryStart} of the block at ${blockOffset})`;
}

/** Where each object of a range lives, in path order, streamed one by one. */
export async function* readRangeAddresses(source: ByteSource): AsyncGenerator<RangeEntryAddress> {
  for await (const batch of readRangeAddressBatches(source)) yield* batch;
}

/**
 * The address batches of several range files in order, as one stream that keeps the next
 * `ahead` files' GETs in flight while the current one is decoded: one stream is bound by a GET's
 * round trip per range file otherwise.
 */
export async function* readRangesAhead(sources: readonly ByteSource[], ahead: number): AsyncGenerator<RangeEntryAddress[]> {
  const fetched: Promise<BufferSource>[] = [];
  const fetch = (i: number) => {
    if (i < sources.length) fetched[i] = readWhole(sources[i]);
  };
  for (let i = 0; i <= ahead; i++) fetch(i);
  for (let i = 0; i < sources.length; i++) {
    const bytes = await fetched[i];
    delete fetched[i];
    fetch(i + ahead + 1);
    yield* readRangeAddressBatches(bytes);
  }
}

async function readWhole(source: ByteSource): Promise<BufferSource> {
  return new BufferSource(await source.read(0, await source.size()), source.name);
}

/** The entries (objects) of a range, in path order, streamed. Prefer readRangeEntryBatches in hot loops. */
export async function* readRangeEntries(source: ByteSource): AsyncGenerator<RangeEntry> {
  for await (const batch of readRangeEntryBatches(source)) {
    for (const entry of batch) yield entry;
  }
}

/**
 * The range IDs of `next` that `previous` lacks: the only ranges whose objects need checking
 * when the commit of `previous` is already mirrored (range IDs are content hashes).
 */
export function newRangeIds(previous: readonly RangeInfo[] | undefined, next: readonly RangeInfo[]): string[] {
  const known = new Set((previous ?? []).map((r) => r.id));
  return [...new Set(next.map((r) => r.id))].filter((id) => !known.has(id));
}
