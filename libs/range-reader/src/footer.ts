import { BlockHandle, ChecksumType, decodeBlockHandle } from './block';
import { RangeReaderError } from './range-reader.errors';

export const ROCKSDB_FOOTER_LENGTH = 53;
export const LEVELDB_FOOTER_LENGTH = 48;
const ROCKSDB_MAGIC = Buffer.from('f7cff485b741e288', 'hex');
const PEBBLE_MAGIC = Buffer.from('f09faab3f09faab3', 'hex');
const LEVELDB_MAGIC = Buffer.from('57fb808b247547db', 'hex');

export interface Footer {
  /** Bytes the footer takes at the end of the file. */
  length: number;
  checksum: ChecksumType;
  metaIndex: BlockHandle;
  index: BlockHandle;
}

/**
 * Parses the footer at the end of an SSTable (`tail` holds at least its last 53 bytes, or the
 * whole file when shorter): RocksDB/Pebble format (checksum type, metaindex and index
 * handles, format version, magic) or LevelDB format.
 */
export function parseFooter(tail: Buffer, file: string): Footer {
  if (tail.length < LEVELDB_FOOTER_LENGTH) throw new RangeReaderError('TRUNCATED', file, `${tail.length} bytes is too short for an SSTable`);
  const magic = tail.subarray(tail.length - 8);
  if (magic.equals(LEVELDB_MAGIC)) {
    const footer = tail.subarray(tail.length - LEVELDB_FOOTER_LENGTH);
    const [metaIndex, next] = decodeBlockHandle(footer, 0, file, 40);
    const [index] = decodeBlockHandle(footer, next, file, 40);
    return { length: LEVELDB_FOOTER_LENGTH, checksum: 'crc32c', metaIndex, index };
  }
  if (!magic.equals(ROCKSDB_MAGIC) && !magic.equals(PEBBLE_MAGIC)) {
    throw new RangeReaderError('BAD_MAGIC', file, `not an SSTable (magic ${magic.toString('hex')})`);
  }
  if (tail.length < ROCKSDB_FOOTER_LENGTH) throw new RangeReaderError('TRUNCATED', file, 'footer is cut short');
  const footer = tail.subarray(tail.length - ROCKSDB_FOOTER_LENGTH);
  const version = footer.readUInt32LE(ROCKSDB_FOOTER_LENGTH - 12);
  if (version < 1 || version > 5) throw new RangeReaderError('UNSUPPORTED', file, `table format version ${version}`);
  const checksumByte = footer[0];
  if (checksumByte !== 0 && checksumByte !== 1) {
    throw new RangeReaderError('UNSUPPORTED', file, `checksum type ${checksumByte} (only none and CRC32C are supported)`);
  }
  const [metaIndex, next] = decodeBlockHandle(footer, 1, file, 41);
  const [index] = decodeBlockHandle(footer, next, file, 41);
  return { length: ROCKSDB_FOOTER_LENGTH, checksum: checksumByte === 1 ? 'crc32c' : 'none', metaIndex, index };
}
