import { compress } from 'snappyjs';
import { SnappyError, snappyUncompress } from './snappy';

/** Bytes with the runs a range block has: repeated prefixes, short and long literals, overlapping copies. */
function sample(): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 400; i++) {
    parts.push(Buffer.from(`table/part=${String(i % 7).padStart(3, '0')}/object-${String(i).padStart(7, '0')}.parquet`));
    parts.push(Buffer.from(Array.from({ length: i % 90 }, (_, j) => (i * 31 + j * 7) & 0xff)));
    parts.push(Buffer.alloc(i % 50, 'a'));
  }
  return Buffer.concat(parts);
}

describe('snappyUncompress', () => {
  it('restores what Snappy compressed: literals of every length class, near, far and overlapping copies', () => {
    for (const input of [
      sample(),
      Buffer.alloc(0),
      Buffer.from('x'),
      Buffer.alloc(100_000, 'z'),
      Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24)),
    ]) {
      expect(snappyUncompress(compress(input), 1 << 20).equals(input)).toBe(true);
    }
  });

  it('refuses a block that would inflate past the limit, before allocating it', () => {
    expect(() => snappyUncompress(compress(Buffer.alloc(5_000)), 4_999)).toThrow(new SnappyError('uncompressed length 5000 is over the limit of 4999'));
  });

  it('reads copies with 4-byte offsets, which compressors of 64 KiB fragments never write', () => {
    const block = Buffer.from([0x08, (3 << 2) | 0, ...Buffer.from('abcd'), ((4 - 1) << 2) | 3, 0x04, 0x00, 0x00, 0x00]);
    expect(snappyUncompress(block, 100).toString()).toBe('abcdabcd');
  });

  const valid = Buffer.from(compress(sample()));
  it.each<[string, Buffer]>([
    ['no length', Buffer.alloc(0)],
    ['a copy from before the output', Buffer.from([0x08, 0x01, 0x05])],
    ['a literal past the input', Buffer.from([0x05, (4 << 2) | 0, 0x61])],
    ['a literal past the announced length', Buffer.from([0x01, (2 << 2) | 0, 0x61, 0x62, 0x63])],
    ['a copy past the announced length', Buffer.from([0x03, (1 << 2) | 0, 0x61, 0x62, ((4 - 1) << 2) | 2, 0x01, 0x00])],
    ['fewer bytes than announced', valid.subarray(0, valid.length - 3)],
    ['a zero copy offset', Buffer.from([0x06, (1 << 2) | 0, 0x61, 0x62, 0x01, 0x00])],
  ])('refuses a block with %s', (_name, block) => {
    expect(() => snappyUncompress(block, 1 << 20)).toThrow(SnappyError);
  });
});
