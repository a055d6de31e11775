// The range reader's data path as it was before the decoding work (kept for the benchmark's
// "before" line only): crc-32's CRC32C, a fresh key buffer per entry (Buffer.concat), protobufjs
// decoding each Entry, and one async-generator step per entry.
import crc32c from 'crc-32/crc32c';
import { uncompress } from 'snappyjs';
import { BLOCK_TRAILER_LENGTH } from '../src/block';
import type { ByteSource } from '../src/byte-source';
import { EntryMessage } from '../src/lakefs-protos';
import { decodeLakefsValue } from '../src/lakefs-value';
import type { RangeEntry } from '../src/range.types';
import { SSTableReader } from '../src/sstable-reader';
import { readUvarint } from '../src/varint';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value ?? 0);
}

function* legacyBlockEntries(block: Buffer): Generator<{ key: Buffer; value: Buffer }> {
  const restarts = block.readUInt32LE(block.length - 4);
  const entriesEnd = block.length - 4 - 4 * restarts;
  for (let i = 0; i < restarts; i++) if (block.readUInt32LE(entriesEnd + 4 * i) > entriesEnd) throw new Error('restart point');
  let offset = 0;
  let previousKey = Buffer.alloc(0);
  while (offset < entriesEnd) {
    const shared = readUvarint(block, offset, entriesEnd);
    const unshared = shared && readUvarint(block, shared[1], entriesEnd);
    const valueLength = unshared && readUvarint(block, unshared[1], entriesEnd);
    if (!shared || !unshared || !valueLength) throw new Error('entry header');
    const keyStart = valueLength[1];
    const valueStart = keyStart + unshared[0];
    const next = valueStart + valueLength[0];
    const key = Buffer.concat([previousKey.subarray(0, shared[0]), block.subarray(keyStart, valueStart)]);
    yield { key, value: block.subarray(valueStart, next) };
    previousKey = key;
    offset = next;
  }
}

export async function* legacyReadRangeEntries(source: ByteSource): AsyncGenerator<RangeEntry> {
  const table = await SSTableReader.open(source);
  const handles = table.dataBlockHandles;
  if (handles.length === 0) return;
  const last = handles[handles.length - 1];
  const iterator = source.stream(0, last.offset + last.length + BLOCK_TRAILER_LENGTH)[Symbol.asyncIterator]();
  let pending = Buffer.alloc(0);
  for (const handle of handles) {
    const length = handle.length + BLOCK_TRAILER_LENGTH;
    while (pending.length < length) {
      const next = await iterator.next();
      if (next.done) throw new Error('truncated');
      pending = Buffer.concat([pending, next.value]);
    }
    const raw = pending.subarray(0, length);
    pending = pending.subarray(length);
    const data = raw.subarray(0, handle.length);
    const type = raw[handle.length];
    const crc = crc32c.buf(Uint8Array.of(type), crc32c.buf(data)) >>> 0;
    const masked = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    if (masked !== raw.readUInt32LE(handle.length + 1)) throw new Error('checksum');
    const block = type === 1 ? uncompress(data, 64 * 1024 * 1024) : data;
    for (const { key: internalKey, value } of legacyBlockEntries(block)) {
      const key = internalKey.subarray(0, internalKey.length - 8);
      const { data: message } = decodeLakefsValue(value, source.name, key);
      const entry = EntryMessage.decode(message) as {
        address?: string;
        last_modified?: { seconds?: unknown; nanos?: number } | null;
        size?: unknown;
        e_tag?: string;
        metadata?: Record<string, string>;
        address_type?: number;
        content_type?: string;
      };
      const address = entry.address ?? '';
      yield {
        path: key.toString(),
        address,
        addressType: entry.address_type === 2 || (entry.address_type === 0 && HAS_SCHEME.test(address)) ? 'full' : 'relative',
        size: toNumber(entry.size),
        etag: entry.e_tag ?? '',
        lastModified: new Date(toNumber(entry.last_modified?.seconds) * 1000 + Math.floor((entry.last_modified?.nanos ?? 0) / 1e6)),
        contentType: entry.content_type ?? '',
        metadata: entry.metadata ?? {},
      };
    }
  }
  await iterator.return?.();
}
