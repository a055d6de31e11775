import { BLOCK_TRAILER_LENGTH, BlockEntry, BlockHandle, ChecksumType, blockEntries, decodeBlock, decodeBlockHandle } from './block';
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
    private readonly dataBlocks: BlockHandle[],
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
    if (this.dataBlocks.length === 0) return;
    const last = this.dataBlocks[this.dataBlocks.length - 1];
    const chunks = exactChunks(this.source.stream(0, last.offset + last.length + BLOCK_TRAILER_LENGTH));
    try {
      for (const handle of this.dataBlocks) {
        const raw = await chunks.take(handle.length + BLOCK_TRAILER_LENGTH);
        const block = decodeBlock(raw, handle, this.checksum, this.source.name);
        for (const { key, value } of blockEntries(block, this.source.name, handle.offset)) {
          if (key.length < INTERNAL_KEY_TRAILER || key[key.length - INTERNAL_KEY_TRAILER] !== SET_KIND) {
            throw new RangeReaderError('UNDECODABLE_ENTRY', this.source.name, `block at ${handle.offset} holds a key that is not a set operation`);
          }
          yield { key: key.subarray(0, key.length - INTERNAL_KEY_TRAILER), value };
        }
      }
    } finally {
      await chunks.close();
    }
  }
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
