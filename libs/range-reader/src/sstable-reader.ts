import { BLOCK_TRAILER_LENGTH, BlockCursor, BlockEntry, BlockHandle, ChecksumType, blockEntries, decodeBlock, decodeBlockHandle } from './block';
import type { ByteSource } from './byte-source';
import { LEVELDB_FOOTER_LENGTH, ROCKSDB_FOOTER_LENGTH, parseFooter } from './footer';
import { RangeReaderError } from './range-reader.errors';

const PROPERTIES_BLOCK = 'rocksdb.properties';
const INDEX_TYPE_PROPERTY = 'rocksdb.block.based.table.index.type';
const TWO_LEVEL_INDEX = 2;
const INTERNAL_KEY_TRAILER = 8;
const SET_KIND = 1;

/**
 * Reads one SSTable as Pebble writes it for lakeFS: footer, metaindex, properties, a one- or
 * two-level index, and Snappy-compressed data blocks with verified CRC32C checksums.
 * Entries are streamed block by block: memory holds one block (and the block handles), never the file.
 */
export class SSTableReader {
  private constructor(
    private readonly source: ByteSource,
    private readonly checksum: ChecksumType,
    /** Where the data blocks are, in order (for tools and benchmarks; entries are read with dataBlocks). */
    readonly dataBlockHandles: readonly BlockHandle[],
    /** String-valued table properties, including lakeFS's own (e.g. "type": "ranges" or "metaranges"). */
    readonly properties: ReadonlyMap<string, string>,
  ) {}

  get file(): string {
    return this.source.name;
  }

  static async open(source: ByteSource): Promise<SSTableReader> {
    const size = await source.size();
    if (size < LEVELDB_FOOTER_LENGTH) throw new RangeReaderError('TRUNCATED', source.name, `${size} bytes is too short for an SSTable`);
    const tailLength = Math.min(size, ROCKSDB_FOOTER_LENGTH);
    const footer = parseFooter(await source.read(size - tailLength, tailLength), source.name);
    const limit = size - footer.length;
    const readBlock = async (handle: BlockHandle, what: string): Promise<Buffer> => {
      if (handle.offset + handle.length + BLOCK_TRAILER_LENGTH > limit) {
        throw new RangeReaderError('BAD_BLOCK_HANDLE', source.name, `${what} block (${handle.offset}+${handle.length}) lies outside the file`);
      }
      const raw = await source.read(handle.offset, handle.length + BLOCK_TRAILER_LENGTH);
      return decodeBlock(raw, handle, footer.checksum, source.name);
    };

    const properties = new Map<string, string>();
    let indexType = 0;
    for (const { key, value } of blockEntries(await readBlock(footer.metaIndex, 'metaindex'), source.name, footer.metaIndex.offset)) {
      if (key.toString() !== PROPERTIES_BLOCK) continue;
      const [handle] = decodeBlockHandle(value, 0, source.name);
      for (const property of blockEntries(await readBlock(handle, 'properties'), source.name, handle.offset)) {
        const name = property.key.toString();
        if (name === INDEX_TYPE_PROPERTY && property.value.length === 4) indexType = property.value.readUInt32LE(0);
        properties.set(name, property.value.toString());
      }
    }

    const indexHandles = async (handle: BlockHandle, what: string): Promise<BlockHandle[]> =>
      [...blockEntries(await readBlock(handle, what), source.name, handle.offset)].map(({ value }) => decodeBlockHandle(value, 0, source.name)[0]);
    let dataBlocks = await indexHandles(footer.index, 'index');
    if (indexType === TWO_LEVEL_INDEX) {
      const partitions = dataBlocks;
      dataBlocks = [];
      for (const partition of partitions) dataBlocks.push(...(await indexHandles(partition, 'index partition')));
    }
    let expected = 0;
    for (const handle of dataBlocks) {
      if (handle.offset !== expected || handle.offset + handle.length + BLOCK_TRAILER_LENGTH > limit) {
        throw new RangeReaderError('BAD_BLOCK_HANDLE', source.name, `data block handle ${handle.offset}+${handle.length} does not follow the previous block`);
      }
      expected = handle.offset + handle.length + BLOCK_TRAILER_LENGTH;
    }
    return new SSTableReader(source, footer.checksum, dataBlocks, properties);
  }

  /** Every entry, in key order, with the user key (Pebble's 8-byte internal-key trailer removed). */
  async *entries(): AsyncGenerator<BlockEntry> {
    for await (const { block, offset } of this.dataBlocks()) {
      const cursor = new BlockCursor(block, this.source.name, offset);
      while (cursor.next()) {
        const keyLength = userKeyLength(cursor, this.source.name, offset);
        yield { key: Buffer.from(cursor.key.subarray(0, keyLength)), value: block.subarray(cursor.valueStart, cursor.valueEnd) };
      }
    }
  }

  /** The data blocks, verified and decompressed, in order, streamed: walk each with BlockCursor and userKeyLength. */
  async *dataBlocks(): AsyncGenerator<{ block: Buffer; offset: number }> {
    if (this.dataBlockHandles.length === 0) return;
    const last = this.dataBlockHandles[this.dataBlockHandles.length - 1];
    const chunks = exactChunks(this.source.stream(0, last.offset + last.length + BLOCK_TRAILER_LENGTH));
    try {
      for (const handle of this.dataBlockHandles) {
        const raw = await chunks.take(handle.length + BLOCK_TRAILER_LENGTH);
        yield { block: decodeBlock(raw, handle, this.checksum, this.source.name), offset: handle.offset };
      }
    } finally {
      await chunks.close();
    }
  }
}

/**
 * The length of the user key at the cursor: its internal key less Pebble's 8-byte trailer.
 * @throws RangeReaderError UNDECODABLE_ENTRY when the entry is not a set operation.
 */
export function userKeyLength(cursor: BlockCursor, file: string, blockOffset: number): number {
  const length = cursor.keyLength - INTERNAL_KEY_TRAILER;
  if (length < 0 || cursor.key[length] !== SET_KIND) {
    throw new RangeReaderError('UNDECODABLE_ENTRY', file, `block at ${blockOffset} holds a key that is not a set operation`);
  }
  return length;
}

/** Cuts a byte stream into pieces of exactly the lengths asked for, holding at most one piece. */
function exactChunks(stream: AsyncIterable<Buffer>) {
  const iterator = stream[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  return {
    async take(length: number): Promise<Buffer> {
      const parts: Buffer[] = [pending];
      let have = pending.length;
      while (have < length) {
        const next = await iterator.next();
        if (next.done) return Buffer.concat(parts);
        parts.push(next.value);
        have += next.value.length;
      }
      const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts);
      pending = joined.subarray(length);
      return joined.subarray(0, length);
    },
    async close(): Promise<void> {
      await iterator.return?.();
    },
  };
}
