// Test support: writes SSTables in the layout Pebble uses for lakeFS, so that reader paths a
// small local lakeFS does not produce (two-level indexes, uncompressed blocks) are exercised.
import { compress } from 'snappyjs';
import { maskedCrc32c } from './block';
import { EntryMessage, RangeDataMessage } from './lakefs-protos';

function uvarint(n: number): number[] {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return [...bytes, n];
}

/** A block as RocksDB writes one: prefix-compressed keys, a restart point every `interval` entries. */
export function buildBlock(entries: [Buffer | string, Buffer | string][], interval = 16): Buffer {
  const out: number[] = [];
  const restarts: number[] = [];
  let previous = Buffer.alloc(0);
  entries.forEach(([k, v], i) => {
    const key = Buffer.from(k);
    const value = Buffer.from(v);
    let shared = 0;
    if (i % interval === 0) restarts.push(out.length);
    else while (shared < Math.min(key.length, previous.length) && key[shared] === previous[shared]) shared++;
    out.push(...uvarint(shared), ...uvarint(key.length - shared), ...uvarint(value.length), ...key.subarray(shared), ...value);
    previous = key;
  });
  if (restarts.length === 0) restarts.push(0); // an empty block still has one restart point
  const tail = Buffer.alloc(4 * restarts.length + 4);
  restarts.forEach((r, i) => tail.writeUInt32LE(r, 4 * i));
  tail.writeUInt32LE(restarts.length, 4 * restarts.length);
  return Buffer.concat([Buffer.from(out), tail]);
}

export function withTrailer(data: Buffer, type: number): Buffer {
  const trailer = Buffer.alloc(5);
  trailer[0] = type;
  trailer.writeUInt32LE(maskedCrc32c(data, type), 1);
  return Buffer.concat([data, trailer]);
}

/** lakeFS's value encoding: zig-zag varint length + identity, then length + data. */
export function lakefsValue(identity: Buffer, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(uvarint(identity.length * 2)), identity, Buffer.from(uvarint(data.length * 2)), data]);
}

/** What a range entry records about one object. */
export interface EntryFields {
  address: string;
  size: number;
  eTag: string;
  lastModifiedSeconds: number;
  addressType?: number;
  contentType?: string;
}

/** A range entry's value for `fields`, under `identity`. */
export function objectEntryValue(fields: EntryFields, identity: Buffer): Buffer {
  const data = EntryMessage.encode(
    EntryMessage.fromObject({
      address: fields.address,
      size: fields.size,
      e_tag: fields.eTag,
      address_type: fields.addressType ?? 1,
      last_modified: { seconds: fields.lastModifiedSeconds },
      content_type: fields.contentType,
    }),
  ).finish();
  return lakefsValue(identity, Buffer.from(data));
}

/** A metarange record's value: the range's ID as identity, its bounds and size as RangeData. */
export function rangeRecordValue(range: { id: string; minKey: string; maxKey: string; count: number; estimatedSize: number }): Buffer {
  const data = RangeDataMessage.encode(
    RangeDataMessage.fromObject({
      min_key: Buffer.from(range.minKey),
      max_key: Buffer.from(range.maxKey),
      estimated_size: range.estimatedSize,
      count: range.count,
    }),
  ).finish();
  return lakefsValue(Buffer.from(range.id), Buffer.from(data));
}

export function entryValue(address: string, size: number, addressType = 1): Buffer {
  return objectEntryValue({ address, size, eTag: `etag-${size}`, addressType, lastModifiedSeconds: 1_700_000_000 }, Buffer.from('identity'));
}

const internalKey = (key: string) => Buffer.concat([Buffer.from(key), Buffer.from([1, 0, 0, 0, 0, 0, 0, 0])]);
const handle = (offset: number, length: number) => Buffer.from([...uvarint(offset), ...uvarint(length)]);

export interface TableOptions {
  entriesPerBlock: number;
  /** Index entries per index partition; omitted: a single-level index. */
  twoLevel?: number;
  snappy?: boolean;
  type?: string;
}

/** A complete SSTable (RocksDB format version 2 footer, CRC32C) holding `entries`, in key order. */
export function buildTable(entries: [string, Buffer][], options: TableOptions): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  // Pebble reads the properties and metaindex blocks only uncompressed, as it writes them.
  const write = (block: Buffer, snappy = options.snappy): [number, number] => {
    const stored = snappy ? Buffer.from(compress(block)) : block;
    const at = offset;
    parts.push(withTrailer(stored, snappy ? 1 : 0));
    offset += stored.length + 5;
    return [at, stored.length];
  };
  const index: [Buffer, Buffer][] = [];
  for (let i = 0; i < entries.length; i += options.entriesPerBlock) {
    const slice = entries.slice(i, i + options.entriesPerBlock);
    const [at, length] = write(buildBlock(slice.map(([k, v]) => [internalKey(k), v])));
    index.push([internalKey(slice[slice.length - 1][0]), handle(at, length)]);
  }
  let top = index;
  if (options.twoLevel) {
    top = [];
    for (let i = 0; i < index.length; i += options.twoLevel) {
      const partition = index.slice(i, i + options.twoLevel);
      const [at, length] = write(buildBlock(partition, 1));
      top.push([partition[partition.length - 1][0], handle(at, length)]);
    }
  }
  const [indexAt, indexLength] = write(buildBlock(top, 1));
  const indexType = Buffer.alloc(4);
  indexType.writeUInt32LE(options.twoLevel ? 2 : 0);
  const [propsAt, propsLength] = write(
    buildBlock(
      [
        ['rocksdb.block.based.table.index.type', indexType],
        ['type', options.type ?? 'ranges'],
      ],
      1,
    ),
    false,
  );
  const [metaAt, metaLength] = write(buildBlock([['rocksdb.properties', handle(propsAt, propsLength)]], 1), false);
  const footer = Buffer.alloc(53);
  footer[0] = 1;
  const handles = Buffer.concat([handle(metaAt, metaLength), handle(indexAt, indexLength)]);
  handles.copy(footer, 1);
  footer.writeUInt32LE(2, 41);
  Buffer.from('f7cff485b741e288', 'hex').copy(footer, 45);
  return Buffer.concat([...parts, footer]);
}
