import { CommitCycleError, parentsFirst } from './topological-order';

const c = (id: string, ...parents: string[]) => ({ id, parents });

describe('parentsFirst', () => {
  it('puts parents before children, whatever the input order', () => {
    const ordered = parentsFirst([c('merge', 'left', 'right'), c('right', 'base'), c('left', 'base'), c('base', 'old')]);
    const position = new Map(ordered.map((x, i) => [x.id, i]));
    expect(ordered.map((x) => x.id)).toEqual(['base', 'right', 'left', 'merge']);
    for (const commit of ordered)
      for (const parent of commit.parents) if (position.has(parent)) expect(position.get(parent)).toBeLessThan(position.get(commit.id) as number);
  });

  it('treats parents outside the set as already in place, and keeps the input order among independents', () => {
    expect(parentsFirst([c('b', 'x'), c('a', 'y')]).map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('refuses a cycle instead of dropping commits', () => {
    expect(() => parentsFirst([c('a', 'b'), c('b', 'a'), c('c')])).toThrow(CommitCycleError);
  });
});
