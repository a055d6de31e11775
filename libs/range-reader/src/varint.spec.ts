import { readSignedVarint, readUvarint } from './varint';

describe('varints', () => {
  it('reads unsigned LEB128 values and the offset after them', () => {
    expect(readUvarint(Uint8Array.of(0x00), 0)).toEqual([0, 1]);
    expect(readUvarint(Uint8Array.of(0x7f), 0)).toEqual([127, 1]);
    expect(readUvarint(Uint8Array.of(0xff, 0xff, 0x00, 0xac, 0x02), 3)).toEqual([300, 5]);
    expect(readUvarint(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x10), 0)).toEqual([2 ** 32, 5]);
  });

  it('refuses truncated, overlong and unsafe values', () => {
    expect(readUvarint(Uint8Array.of(0x80), 0)).toBeUndefined();
    expect(readUvarint(Uint8Array.of(0xac, 0x02), 0, 1)).toBeUndefined();
    expect(readUvarint(new Uint8Array(11).fill(0x80), 0)).toBeUndefined();
    expect(readUvarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), 0)).toBeUndefined();
  });

  it('reads zig-zag signed varints as Go writes them', () => {
    expect(readSignedVarint(Uint8Array.of(0x00), 0)).toEqual([0, 1]);
    expect(readSignedVarint(Uint8Array.of(0x01), 0)).toEqual([-1, 1]);
    expect(readSignedVarint(Uint8Array.of(0x02), 0)).toEqual([1, 1]);
    expect(readSignedVarint(Uint8Array.of(0x80, 0x01), 0)).toEqual([64, 2]);
  });
});
