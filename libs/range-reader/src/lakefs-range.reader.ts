import type { ByteSource } from './byte-source';
import { EntryMessage, RangeDataMessage } from './lakefs-protos';
import { decodeLakefsValue } from './lakefs-value';
import { RangeReaderError } from './range-reader.errors';
import type { RangeEntry, RangeInfo } from './range.types';
import { SSTableReader } from './sstable-reader';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

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

/** The entries (objects) of a range, in path order, streamed. */
export async function* readRangeEntries(source: ByteSource): AsyncGenerator<RangeEntry> {
  const table = await openLakefsTable(source, 'ranges');
  for await (const { key, value } of table.entries()) {
    const { data } = decodeLakefsValue(value, source.name, key);
    let entry: {
      address?: string;
      last_modified?: { seconds?: unknown; nanos?: number } | null;
      size?: unknown;
      e_tag?: string;
      metadata?: Record<string, string>;
      address_type?: number;
      content_type?: string;
    };
    try {
      // The decoded message itself (unset fields read as proto3 defaults); toObject would copy it.
      entry = EntryMessage.decode(data) as typeof entry;
    } catch (error) {
      throw new RangeReaderError('UNDECODABLE_ENTRY', source.name, `entry ${JSON.stringify(key.toString())}: ${(error as Error).message}`);
    }
    const address = entry.address ?? '';
    const addressType = entry.address_type === 2 || (entry.address_type === 0 && HAS_SCHEME.test(address)) ? 'full' : 'relative';
    const seconds = toNumber(entry.last_modified?.seconds);
    yield {
      path: key.toString(),
      address,
      addressType,
      size: toNumber(entry.size),
      etag: entry.e_tag ?? '',
      lastModified: new Date(seconds * 1000 + Math.floor((entry.last_modified?.nanos ?? 0) / 1e6)),
      contentType: entry.content_type ?? '',
      metadata: entry.metadata ?? {},
    };
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
