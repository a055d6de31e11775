import { compress } from 'snappyjs';
import { blockEntries, decodeBlock, decodeBlockHandle } from './block';
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
});
