import crc32c from 'crc-32/crc32c';
import { uncompress } from 'snappyjs';
import { RangeReaderError } from './range-reader.errors';
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

/** RocksDB's masked CRC32C of the block contents followed by the compression-type byte. */
export function maskedCrc32c(data: Uint8Array, typeByte: number): number {
  const crc = crc32c.buf(Uint8Array.of(typeByte), crc32c.buf(data)) >>> 0;
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
    return uncompress(data, MAX_BLOCK_BYTES);
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
 */
export function* blockEntries(block: Buffer, file: string, blockOffset: number): Generator<BlockEntry> {
  const corrupt = (why: string) => new RangeReaderError('CORRUPT_BLOCK', file, `block at ${blockOffset}: ${why}`);
  if (block.length < 4) throw corrupt('too short for a restart count');
  const restarts = block.readUInt32LE(block.length - 4);
  const entriesEnd = block.length - 4 - 4 * restarts;
  if (restarts < 1 || entriesEnd < 0) throw corrupt(`impossible restart count ${restarts}`);
  for (let i = 0; i < restarts; i++) {
    if (block.readUInt32LE(entriesEnd + 4 * i) > entriesEnd) throw corrupt('restart point past the entries');
  }
  let offset = 0;
  let previousKey = Buffer.alloc(0);
  while (offset < entriesEnd) {
    const shared = readUvarint(block, offset, entriesEnd);
    const unshared = shared && readUvarint(block, shared[1], entriesEnd);
    const valueLength = unshared && readUvarint(block, unshared[1], entriesEnd);
    if (!shared || !unshared || !valueLength) throw corrupt(`undecodable entry header at ${offset}`);
    const keyStart = valueLength[1];
    const valueStart = keyStart + unshared[0];
    const next = valueStart + valueLength[0];
    if (shared[0] > previousKey.length || next > entriesEnd) throw corrupt(`entry at ${offset} runs past its block`);
    const key = Buffer.concat([previousKey.subarray(0, shared[0]), block.subarray(keyStart, valueStart)]);
    yield { key, value: block.subarray(valueStart, next) };
    previousKey = key;
    offset = next;
  }
}
