import { chunk } from './verification-chunks';

describe('chunk', () => {
  it('covers every item once, in order, in chunks no larger than asked', () => {
    const items = Array.from({ length: 1_001 }, (_, i) => i);
    const chunks = chunk(items, 250);
    expect(chunks.map((c) => c.length)).toEqual([250, 250, 250, 250, 1]);
    expect(chunks.flat()).toEqual(items);
  });

  it('makes no chunk for no items and refuses a bad size', () => {
    expect(chunk([], 10)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow('maxPerChunk must be a positive integer');
  });
});
