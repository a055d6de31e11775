import { decodeLakefsValue } from './lakefs-value';
import { newRangeIds } from './lakefs-range.reader';
import { parseFooter } from './footer';

describe('lakeFS value encoding', () => {
  it('splits identity and data by their zig-zag varint lengths', () => {
    const value = Buffer.from([0x06, 0x61, 0x62, 0x63, 0x04, 0x78, 0x79]);
    const decoded = decodeLakefsValue(value, 'f', Buffer.from('k'));
    expect(decoded.identity.toString()).toBe('abc');
    expect(decoded.data.toString()).toBe('xy');
  });

  it('refuses lengths that are negative or run past the value', () => {
    expect(() => decodeLakefsValue(Buffer.from([0x01, 0x00]), 'f', Buffer.from('k'))).toThrow(expect.objectContaining({ code: 'UNDECODABLE_ENTRY' }));
    expect(() => decodeLakefsValue(Buffer.from([0x08, 0x61]), 'f', Buffer.from('k'))).toThrow('value of "k": bad identity length');
  });
});

describe('newRangeIds', () => {
  const range = (id: string) => ({ id, minKey: '', maxKey: '', count: 1, estimatedSize: 1 });

  it('returns the ranges the old metarange lacks, once each, in order', () => {
    expect(newRangeIds([range('a'), range('b')], [range('a'), range('c'), range('b'), range('d'), range('c')])).toEqual(['c', 'd']);
    expect(newRangeIds([range('a')], [range('a')])).toEqual([]);
  });
});

describe('parseFooter', () => {
  it('names foreign and short files', () => {
    expect(() => parseFooter(Buffer.alloc(60, 1), 'x.parquet')).toThrow(expect.objectContaining({ code: 'BAD_MAGIC', file: 'x.parquet' }));
    expect(() => parseFooter(Buffer.alloc(10), 'tiny')).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
  });
});
