import { crc32c } from './crc32c';
import { RangeReaderError } from './range-reader.errors';
import { snappyUncompress } from './snappy';
import { readUvarint } from './varint';

/** Where a block is in the file: offset and length, not counting its 5-byte trailer. */
export interface BlockHandle {
  offset: number;
  length: number;
}

export const BLOCK_TRAILER_LENGTH = 5;
const NO_COMPRESSION = 0;
const SNAPPY_COMPRESSION = 1;
/** Refuse to inflate a block past this: a corrupt length must not exhaust memory. */
const MAX_BLOCK_BYTES = 64 * 1024 * 1024;

export type ChecksumType = 'none' | 'crc32c';
const TYPE_BYTE = new Uint8Array(1);

/** RocksDB's masked CRC32C of the block contents followed by the compression-type byte. */
export function maskedCrc32c(data: Uint8Array, typeByte: number): number {
  const crc = crc32c(TYPE_BYTE.fill(typeByte), crc32c(data));
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Decodes a block handle (two uvarints); extra bytes after it (block properties) are ignored. */
export function decodeBlockHandle(buf: Uint8Array, offset: number, file: string, end = buf.length): [BlockHandle, number] {
  const first = readUvarint(buf, offset, end);
  const second = first && readUvarint(buf, first[1], end);
  if (!first || !second) throw new RangeReaderError('BAD_BLOCK_HANDLE', file, `undecodable block handle at byte ${offset}`);
  return [{ offset: first[0], length: second[0] }, second[1]];
}

/**
 * Verifies and decompresses one block given its bytes followed by the trailer.
 * @throws RangeReaderError on a checksum mismatch, an unknown compression or a corrupt payload.
 */
export function decodeBlock(raw: Buffer, handle: BlockHandle, checksum: ChecksumType, file: string): Buffer {
  if (raw.length !== handle.length + BLOCK_TRAILER_LENGTH) {
    throw new RangeReaderError('TRUNCATED', file, `block at ${handle.offset} is cut short (${raw.length} of ${handle.length + BLOCK_TRAILER_LENGTH} bytes)`);
  }
  const data = raw.subarray(0, handle.length);
  const type = raw[handle.length];
  if (checksum === 'crc32c') {
    const stored = raw.readUInt32LE(handle.length + 1);
    const computed = maskedCrc32c(data, type);
    if (stored !== computed) {
      throw new RangeReaderError(
        'CHECKSUM_MISMATCH',
        file,
        `block at ${handle.offset}: stored checksum ${stored.toString(16)}, computed ${computed.toString(16)}`,
      );
    }
  }
  if (type === NO_COMPRESSION) return data;
  if (type !== SNAPPY_COMPRESSION) throw new RangeReaderError('UNSUPPORTED', file, `block at ${handle.offset} uses compression type ${type}`);
  try {
    return snappyUncompress(data, MAX_BLOCK_BYTES);
  } catch (error) {
    throw new RangeReaderError('CORRUPT_BLOCK', file, `block at ${handle.offset} is not valid Snappy: ${(error as Error).message}`);
  }
}

export interface BlockEntry {
  key: Buffer;
  value: Buffer;
}

/**
 * The entries of a decoded block: prefix-compressed keys (shared, unshared, value length, key
 * suffix, value), followed by the restart-point array and its count.
 * Each entry gets its own key; the data-block hot path uses BlockCursor instead.
 */
export function* blockEntries(block: Buffer, file: string, blockOffset: number): Generator<BlockEntry> {
  const cursor = new BlockCursor(block, file, blockOffset);
  while (cursor.next()) {
    yield { key: Buffer.from(cursor.key.subarray(0, cursor.keyLength)), value: block.subarray(cursor.valueStart, cursor.valueEnd) };
  }
}

/**
 * Walks the entries of a decoded block without allocating per entry: the current key is
 * rebuilt in place in one reused buffer (`key[0, keyLength)`), the value is `block[valueStart, valueEnd)`.
 * Both are only valid until the next call to `next`. A cursor made with `rebuildKeys` false
 * skips the keys' bytes (`key` is then never written; `keyLength` and `entryStart` still are):
 * for readers that need only the values, and name an entry by re-walking when one is bad.
 */
export class BlockCursor {
  key: Buffer = Buffer.allocUnsafe(256);
  keyLength = 0;
  /** Where the current entry's header starts in the block. */
  entryStart = 0;
  valueStart = 0;
  valueEnd = 0;
  private offset = 0;
  private readonly entriesEnd: number;

  constructor(
    private readonly block: Buffer,
    private readonly file: string,
    private readonly blockOffset: number,
    private readonly rebuildKeys = true,
  ) {
    if (block.length < 4) throw this.corrupt('too short for a restart count');
    const restarts = block.readUInt32LE(block.length - 4);
    this.entriesEnd = block.length - 4 - 4 * restarts;
    if (restarts < 1 || this.entriesEnd < 0) throw this.corrupt(`impossible restart count ${restarts}`);
    for (let i = 0; i < restarts; i++) {
      if (block.readUInt32LE(this.entriesEnd + 4 * i) > this.entriesEnd) throw this.corrupt('restart point past the entries');
    }
  }

  /** Moves to the next entry; false at the end of the block. */
  next(): boolean {
    const end = this.entriesEnd;
    const at = this.offset;
    if (at >= end) return false;
    // Three uvarints: shared key bytes, unshared key bytes, value length.
    const shared = this.varintAt(at);
    const unshared = this.varintAt(this.varintEnd);
    const valueLength = this.varintAt(this.varintEnd);
    const pos = this.varintEnd;
    const valueStart = pos + unshared;
    const next = valueStart + valueLength;
    if (shared > this.keyLength || next > end) throw this.corrupt(`entry at ${at} runs past its block`);
    const keyLength = shared + unshared;
    if (this.rebuildKeys) this.rebuildKey(shared, keyLength, pos, valueStart);
    this.keyLength = keyLength;
    this.entryStart = at;
    this.valueStart = valueStart;
    this.valueEnd = next;
    this.offset = next;
    return true;
  }

  /** Where the last varint read by varintAt ended. */
  private varintEnd = 0;

  /**
   * The uvarint at `start` (its end in varintEnd): almost always one byte, read on a fast path;
   * lengths inside one block never need more than 4 bytes. Anything longer, or cut short by the
   * restart array, is corrupt.
   */
  private varintAt(start: number): number {
    const block = this.block;
    const end = this.entriesEnd;
    if (start < end && block[start] < 0x80) {
      this.varintEnd = start + 1;
      return block[start];
    }
    let value = 0;
    let pos = start;
    for (let shift = 0; shift <= 21 && pos < end; shift += 7) {
      const byte = block[pos++];
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.varintEnd = pos;
        return value;
      }
    }
    throw this.corrupt(`undecodable entry header at ${start}`);
  }

  private rebuildKey(shared: number, keyLength: number, suffixStart: number, suffixEnd: number): void {
    if (keyLength > this.key.length) {
      const grown = Buffer.allocUnsafe(Math.max(keyLength, 2 * this.key.length));
      this.key.copy(grown, 0, 0, shared);
      this.key = grown;
    }
    const key = this.key;
    const block = this.block;
    const unshared = suffixEnd - suffixStart;
    if (unshared < 32) for (let i = 0; i < unshared; i++) key[shared + i] = block[suffixStart + i];
    else block.copy(key, shared, suffixStart, suffixEnd);
  }

  private corrupt(why: string): RangeReaderError {
    return new RangeReaderError('CORRUPT_BLOCK', this.file, `block at ${this.blockOffset}: ${why}`);
  }
}
