import { RANGE_END, chunkRanges } from './planner.service';

const range = (id: string, count: number) => ({ id, minKey: 'a', maxKey: 'z', count, estimatedSize: count * 100 });

describe('chunkRanges', () => {
  it('gives a small range one chunk that reaches past its last entry', () => {
    expect(chunkRanges([range('r1', 800)], 5_000)).toEqual([{ rangeId: 'r1', firstEntry: 0, endEntry: RANGE_END, objects: 800, baseRanges: [] }]);
  });

  it('splits a large range into bounded chunks covering every entry once; the last runs to the end', () => {
    const chunks = chunkRanges([range('big', 12_001)], 5_000);
    expect(chunks.map((c) => [c.firstEntry, c.endEntry, c.objects])).toEqual([
      [0, 5_000, 5_000],
      [5_000, 10_000, 5_000],
      [10_000, RANGE_END, 2_001],
    ]);
  });

  it('still checks a range whose recorded count is zero (its file must be there)', () => {
    expect(chunkRanges([range('empty', 0)], 10)).toEqual([{ rangeId: 'empty', firstEntry: 0, endEntry: RANGE_END, objects: 0, baseRanges: [] }]);
  });

  it('gives every chunk of a range the parent ranges it overlaps', () => {
    const chunks = chunkRanges([range('a', 3), range('b', 1)], 2, (r) => (r.id === 'a' ? ['p1', 'p2'] : []));
    expect(chunks.map((c) => c.baseRanges)).toEqual([['p1', 'p2'], ['p1', 'p2'], []]);
  });

  it('keeps ranges apart and in order', () => {
    expect(chunkRanges([range('a', 3), range('b', 3)], 2).map((c) => `${c.rangeId}@${c.firstEntry}`)).toEqual(['a@0', 'a@2', 'b@0', 'b@2']);
  });
});
