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
  async *dataBlocks(): AsyncGenerator<DataBlock> {
    for await (const run of this.dataBlockRuns()) yield* run;
  }

  /**
   * The data blocks as they arrive: each array holds every block whose bytes are at hand (those of
   * one network chunk, or the whole file when it is in memory), so that a hot loop walks them
   * without an await per block. Memory holds one chunk's blocks and at most one block's partial bytes.
   */
  async *dataBlockRuns(): AsyncGenerator<DataBlock[]> {
    const handles = this.dataBlockHandles;
    if (handles.length === 0) return;
    const last = handles[handles.length - 1];
    const parts: Buffer[] = [];
    let have = 0;
    let next = 0;
    const needed = () => handles[next].length + BLOCK_TRAILER_LENGTH;
    const stream = this.source.stream(0, last.offset + last.length + BLOCK_TRAILER_LENGTH);
    for await (const chunk of stream) {
      parts.push(chunk);
      have += chunk.length;
      if (have < needed()) continue;
      const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
      const run: DataBlock[] = [];
      let used = 0;
      while (next < handles.length && bytes.length - used >= needed()) {
        const handle = handles[next++];
        const end = used + handle.length + BLOCK_TRAILER_LENGTH;
        run.push({ block: decodeBlock(bytes.subarray(used, end), handle, this.checksum, this.source.name), offset: handle.offset });
        used = end;
      }
      parts.length = 0;
      have = bytes.length - used;
      if (have > 0) parts.push(bytes.subarray(used));
      yield run;
      if (next === handles.length) return;
    }
    // The stream ended early: decodeBlock names the block cut short.
    decodeBlock(Buffer.concat(parts, have), handles[next], this.checksum, this.source.name);
  }
}

/** A data block, verified and decompressed, and where it starts in the file. */
export interface DataBlock {
  block: Buffer;
  offset: number;
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
