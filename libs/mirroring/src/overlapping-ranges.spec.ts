import { overlappingRanges } from './overlapping-ranges';

describe('overlappingRanges', () => {
  const parent = [
    { id: 'p1', minKey: 'a', maxKey: 'f' },
    { id: 'p2', minKey: 'g', maxKey: 'm' },
    { id: 'p3', minKey: 'n', maxKey: 'z' },
  ];

  it('finds the parent ranges a new range overlaps, edges included', () => {
    expect(overlappingRanges({ id: 'r', minKey: 'e', maxKey: 'h' }, parent)).toEqual(['p1', 'p2']);
    expect(overlappingRanges({ id: 'r', minKey: 'm', maxKey: 'n' }, parent)).toEqual(['p2', 'p3']);
    expect(overlappingRanges({ id: 'r', minKey: 'h', maxKey: 'i' }, parent)).toEqual(['p2']);
  });

  it('finds none for keys beyond every parent range, or without parent ranges', () => {
    expect(overlappingRanges({ id: 'r', minKey: 'za', maxKey: 'zz' }, parent)).toEqual([]);
    expect(overlappingRanges({ id: 'r', minKey: 'a', maxKey: 'z' }, [])).toEqual([]);
  });
});
