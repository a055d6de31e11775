import { SeededRandom, soakSeed } from './seeded-random';

describe('SeededRandom', () => {
  const draw = (random: SeededRandom, n = 20) => Array.from({ length: n }, () => random.next());

  it('draws the same numbers from the same seed, and others from another', () => {
    expect(draw(new SeededRandom(42))).toEqual(draw(new SeededRandom(42)));
    expect(draw(new SeededRandom(42))).not.toEqual(draw(new SeededRandom(43)));
  });

  it('keeps numbers in range: next in [0, 1), int within its bounds, both reached', () => {
    const random = new SeededRandom(7);
    const ints = Array.from({ length: 2_000 }, () => random.int(2, 5));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4, 5]));
    expect(draw(random, 2_000).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('never picks a key of weight 0, and picks the others', () => {
    const random = new SeededRandom(9);
    const picked = new Set(Array.from({ length: 500 }, () => random.weighted({ a: 1, b: 0, c: 3 })));
    expect(picked).toEqual(new Set(['a', 'c']));
    expect(() => random.weighted({ a: 0 })).toThrow('every weight is 0');
  });

  it('shuffles into a permutation of the same items', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const shuffled = new SeededRandom(3).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(new SeededRandom(3).shuffle(items)).toEqual(shuffled);
  });

  it('forks streams that do not depend on how much the parent or a sibling drew', () => {
    const quiet = new SeededRandom(5);
    const busy = new SeededRandom(5);
    draw(busy, 100);
    draw(busy.fork('faults'), 100);
    expect(draw(busy.fork('workload'))).toEqual(draw(quiet.fork('workload')));
    expect(draw(quiet.fork('workload'))).not.toEqual(draw(quiet.fork('faults')));
  });
});

describe('soakSeed', () => {
  it('reads a given seed and draws one when none is given', () => {
    expect(soakSeed('12345')).toBe(12345);
    expect(Number.isSafeInteger(soakSeed(undefined))).toBe(true);
    expect(Number.isSafeInteger(soakSeed(' '))).toBe(true);
  });

  it('refuses a seed that is not a 32-bit unsigned integer, naming the variable', () => {
    for (const bad of ['abc', '-1', '1.5', '4294967296'])
      expect(() => soakSeed(bad)).toThrow(`LAKEMIRROR_SOAK_SEED must be an integer from 0 to 4294967295, not "${bad}"`);
  });
});
