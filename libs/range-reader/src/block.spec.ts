import { compress } from 'snappyjs';
import { blockEntries, decodeBlock, decodeBlockHandle, maskedCrc32c } from './block';
import { RangeReaderError } from './range-reader.errors';

function uvarint(n: number): number[] {
  const bytes: number[] = [];
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  return [...bytes, n];
}

/** Builds a block the way RocksDB does: prefix-compressed keys, a restart every `interval` entries. */
function buildBlock(entries: [string, string][], interval = 2): Buffer {
  const out: number[] = [];
  const restarts: number[] = [];
  let previous = '';
  entries.forEach(([key, value], i) => {
    let shared = 0;
    if (i % interval === 0) restarts.push(out.length);
    else while (shared < Math.min(key.length, previous.length) && key[shared] === previous[shared]) shared++;
    out.push(...uvarint(shared), ...uvarint(key.length - shared), ...uvarint(value.length), ...Buffer.from(key.slice(shared)), ...Buffer.from(value));
    previous = key;
  });
  const tail = Buffer.alloc(4 * restarts.length + 4);
  restarts.forEach((r, i) => tail.writeUInt32LE(r, 4 * i));
  tail.writeUInt32LE(restarts.length, 4 * restarts.length);
  return Buffer.concat([Buffer.from(out), tail]);
}

function withTrailer(data: Buffer, type: number): Buffer {
  const trailer = Buffer.alloc(5);
  trailer[0] = type;
  trailer.writeUInt32LE(maskedCrc32c(data, type), 1);
  return Buffer.concat([data, trailer]);
}

const entries: [string, string][] = [
  ['data/a/1', 'one'],
  ['data/a/2', 'two'],
  ['data/b/10', 'ten'],
  ['data/b/11', ''],
  ['zeta', 'last'],
];

describe('blocks', () => {
  it('decodes prefix-compressed entries with restart points', () => {
    const decoded = [...blockEntries(buildBlock(entries), 'f', 0)].map(({ key, value }) => [key.toString(), value.toString()]);
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
