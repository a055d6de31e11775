import { recordableInOrder } from './recordable-commits';

const c = (id: string, ...parents: string[]) => ({ id, parents });
const ids = (commits: { id: string }[]) => commits.map((x) => x.id);

describe('recordableInOrder', () => {
  it('takes a whole chain of verified commits at once, parents first', () => {
    const chain = [c('c3', 'c2'), c('c1', 'base'), c('c2', 'c1')];
    expect(ids(recordableInOrder(chain, (id) => id === 'base'))).toEqual(['c1', 'c2', 'c3']);
  });

  it('leaves out a commit whose parent is neither recorded nor recordable, and its descendants', () => {
    // c1's parent "gap" is not verified (not in the list) and not recorded.
    const commits = [c('c1', 'gap'), c('c2', 'c1'), c('other', 'base')];
    expect(ids(recordableInOrder(commits, (id) => id === 'base'))).toEqual(['other']);
  });

  it('records a merge only once both of its parents are', () => {
    const commits = [c('merge', 'a', 'f'), c('a', 'base'), c('f', 'missing')];
    expect(ids(recordableInOrder(commits, (id) => id === 'base'))).toEqual(['a']);
    expect(ids(recordableInOrder(commits, (id) => id === 'base' || id === 'missing'))).toEqual(['a', 'f', 'merge']);
  });

  it('takes a root commit (no parents) as recordable', () => {
    expect(ids(recordableInOrder([c('root')], () => false))).toEqual(['root']);
  });
});
