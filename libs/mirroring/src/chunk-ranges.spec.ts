import { RANGE_END, chunkRanges } from './chunk-ranges';

const range = (id: string, count: number) => ({ id, minKey: 'a', maxKey: 'z', count, estimatedSize: count * 100 });
const spans = (chunks: { firstEntry: number; endEntry: number; objects: number }[]) => chunks.map((c) => [c.firstEntry, c.endEntry, c.objects]);

describe('chunkRanges', () => {
  it('gives a small range one chunk that reaches past its last entry', () => {
    expect(chunkRanges([range('r1', 800)], 5_000)).toEqual([{ rangeId: 'r1', firstEntry: 0, endEntry: RANGE_END, objects: 800, baseRanges: [] }]);
  });

  it('splits a large range into bounded chunks covering every entry once; the last runs to the end', () => {
    expect(spans(chunkRanges([range('big', 12_001)], 5_000))).toEqual([
      [0, 5_000, 5_000],
      [5_000, 10_000, 5_000],
      [10_000, RANGE_END, 2_001],
    ]);
  });

  it('makes no empty trailing chunk when the count is an exact multiple of the chunk size', () => {
    expect(spans(chunkRanges([range('even', 10_000)], 5_000))).toEqual([
      [0, 5_000, 5_000],
      [5_000, RANGE_END, 5_000],
    ]);
  });

  it('gives every entry its own chunk at a chunk size of one', () => {
    expect(spans(chunkRanges([range('r', 3)], 1))).toEqual([
      [0, 1, 1],
      [1, 2, 1],
      [2, RANGE_END, 1],
    ]);
  });

  it('still checks a range whose recorded count is zero (its file must be there)', () => {
    expect(chunkRanges([range('empty', 0)], 10)).toEqual([{ rangeId: 'empty', firstEntry: 0, endEntry: RANGE_END, objects: 0, baseRanges: [] }]);
  });

  it('plans nothing for no ranges', () => {
    expect(chunkRanges([], 10)).toEqual([]);
  });

  it('gives every chunk of a range the parent ranges it overlaps', () => {
    const chunks = chunkRanges([range('a', 3), range('b', 1)], 2, (r) => (r.id === 'a' ? ['p1', 'p2'] : []));
    expect(chunks.map((c) => [c.rangeId, c.baseRanges])).toEqual([
      ['a', ['p1', 'p2']],
      ['a', ['p1', 'p2']],
      ['b', []],
    ]);
  });

  it('keeps ranges apart and in order', () => {
    expect(chunkRanges([range('a', 3), range('b', 3)], 2).map((c) => `${c.rangeId}@${c.firstEntry}`)).toEqual(['a@0', 'a@2', 'b@0', 'b@2']);
  });

  it.each([0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a chunk size of %p', (chunkObjects) => {
    expect(() => chunkRanges([range('r', 10)], chunkObjects)).toThrow(RangeError);
    expect(() => chunkRanges([range('r', 10)], chunkObjects)).toThrow(`chunkObjects must be a positive integer, got ${chunkObjects}`);
  });

  it.each([-1, 1.5])('refuses a range whose entry count is %p', (count) => {
    expect(() => chunkRanges([range('bad', count)], 10)).toThrow(`range bad has an invalid entry count ${count}`);
  });
});
