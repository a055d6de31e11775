import crc32cReference from 'crc-32/crc32c';
import { crc32c } from './crc32c';

describe('crc32c', () => {
  it('matches the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xff, ascending and descending.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('agrees with a byte-at-a-time implementation on every length and alignment', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 2654435761) >>> 24);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 7) {
        expect(crc32c(data, 0, start, end)).toBe(crc32cReference.buf(data.subarray(start, end)) >>> 0);
      }
    }
  });

  it('continues a checksum across pieces', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog');
    expect(crc32c(data.subarray(20), crc32c(data.subarray(0, 20)))).toBe(crc32c(data));
  });
});
