import { compress } from 'snappyjs';
import { BlockCursor, blockEntries, decodeBlock, decodeBlockHandle, maskedCrc32c } from './block';
import { RangeReaderError } from './range-reader.errors';
import { buildBlock, withTrailer } from './sstable.fixture';

const entries: [string, string][] = [
  ['data/a/1', 'one'],
  ['data/a/2', 'two'],
  ['data/b/10', 'ten'],
  ['data/b/11', ''],
  ['zeta', 'last'],
];

describe('blocks', () => {
  it('decodes prefix-compressed entries with restart points', () => {
    const decoded = [...blockEntries(buildBlock(entries, 2), 'f', 0)].map(({ key, value }) => [key.toString(), value.toString()]);
    expect(decoded).toEqual(entries);
  });

  it('verifies the masked CRC32C of plain and Snappy blocks', () => {
    const block = buildBlock(entries);
    const handle = { offset: 0, length: block.length };
    expect(decodeBlock(withTrailer(block, 0), handle, 'crc32c', 'f')).toEqual(block);
    const snappy = Buffer.from(compress(block));
    expect(decodeBlock(withTrailer(snappy, 1), { offset: 0, length: snappy.length }, 'crc32c', 'f')).toEqual(block);
  });

  it('names the file and the problem when a block is damaged', () => {
    const block = buildBlock(entries);
    const raw = withTrailer(block, 0);
    raw[3] ^= 1;
    expect(() => decodeBlock(raw, { offset: 0, length: block.length }, 'crc32c', 'ranges/abc')).toThrow(
      expect.objectContaining({ code: 'CHECKSUM_MISMATCH', file: 'ranges/abc' }),
    );
    expect(() => decodeBlock(withTrailer(block, 7), { offset: 0, length: block.length }, 'crc32c', 'f')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    );
    expect(() => decodeBlock(withTrailer(block, 0).subarray(1), { offset: 0, length: block.length }, 'crc32c', 'f')).toThrow(
      expect.objectContaining({ code: 'TRUNCATED' }),
    );
    const notSnappy = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
    expect(() => decodeBlock(withTrailer(notSnappy, 1), { offset: 0, length: notSnappy.length }, 'crc32c', 'f')).toThrow(
      expect.objectContaining({ code: 'CORRUPT_BLOCK' }),
    );
  });

  it('refuses entries and restart points that run past the block', () => {
    const block = buildBlock(entries);
    const badRestartCount = Buffer.from(block);
    badRestartCount.writeUInt32LE(10_000, block.length - 4);
    expect(() => [...blockEntries(badRestartCount, 'f', 0)]).toThrow(RangeReaderError);
    const longValue = Buffer.from(block);
    longValue[2] = 0x7f; // value length of the first entry
    expect(() => [...blockEntries(longValue, 'f', 0)]).toThrow(expect.objectContaining({ code: 'CORRUPT_BLOCK' }));
  });

  it('decodes block handles and rejects malformed ones', () => {
    expect(decodeBlockHandle(Uint8Array.of(0xac, 0x02, 0x05), 0, 'f')).toEqual([{ offset: 300, length: 5 }, 3]);
    expect(() => decodeBlockHandle(Uint8Array.of(0xac), 0, 'f')).toThrow(expect.objectContaining({ code: 'BAD_BLOCK_HANDLE' }));
  });

  it('walks entries in one reused key buffer, growing it for long keys', () => {
    const long = 'k'.repeat(700);
    const block = buildBlock([...entries, [long, 'x'], [`${long}/more`, 'y']], 3);
    const cursor = new BlockCursor(block, 'f', 0);
    const seen: [string, string][] = [];
    while (cursor.next()) seen.push([cursor.key.toString('utf8', 0, cursor.keyLength), block.toString('utf8', cursor.valueStart, cursor.valueEnd)]);
    expect(seen).toEqual([...entries, [long, 'x'], [`${long}/more`, 'y']]);
    expect(cursor.next()).toBe(false);
  });

  it.each([
    ['a lone byte', [0x00]],
    ['two bytes', [0x01, 0x00]],
    ['a varint cut short', [0x00, 0x85]],
  ])('refuses an entry header cut short by the restart points: %s after the last entry', (_name, tail) => {
    const block = buildBlock([['ab', '1']]);
    const entriesEnd = block.length - 8;
    const cut = Buffer.concat([block.subarray(0, entriesEnd), Buffer.from(tail), block.subarray(entriesEnd)]);
    const cursor = new BlockCursor(cut, 'f', 0, false);
    expect(cursor.next()).toBe(true);
    expect(() => cursor.next()).toThrow(expect.objectContaining({ code: 'CORRUPT_BLOCK' }));
  });

  it('refuses an entry sharing more of the key than the previous key has', () => {
    const block = buildBlock([['ab', '1']]);
    block[0] = 5; // shared bytes of the first entry
    const cursor = new BlockCursor(block, 'f', 0);
    expect(() => cursor.next()).toThrow(expect.objectContaining({ code: 'CORRUPT_BLOCK' }));
  });

  it('computes the masked CRC32C RocksDB stores', () => {
    // Over the data then the type byte: "12345678" + "9" has the published CRC32C 0xe3069283;
    // RocksDB's mask rotates it right by 15 bits and adds 0xa282ead8.
    const crc = 0xe3069283;
    expect(maskedCrc32c(Buffer.from('12345678'), 0x39)).toBe(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });
});
