import { commitsToMirror } from './commit-walk';

const c = (id: string, ...parents: string[]) => ({ id, parents });

/** A log as lakeFS gives it (newest first), counting how far it was read. */
function logOf(commits: { id: string; parents: string[] }[]) {
  const state = { read: 0 };
  async function* iterate() {
    for (const commit of commits) {
      state.read++;
      yield commit;
    }
  }
  return { log: iterate(), state };
}

const mirroredSet = (ids: string[]) => async (asked: string[]) => new Set(asked.filter((id) => ids.includes(id)));

describe('commitsToMirror', () => {
  // base ← a ← b ← merge, base ← f1 ← f2 (feature), merge = (b, f2)
  const history = [c('merge', 'b', 'f2'), c('f2', 'f1'), c('b', 'a'), c('f1', 'base'), c('a', 'base'), c('base', 'root'), c('root')];

  it('returns nothing, after reading nothing, when the head is already mirrored', async () => {
    const { log, state } = logOf(history);
    expect(await commitsToMirror('merge', log, mirroredSet(['merge']))).toEqual([]);
    expect(state.read).toBe(0);
  });

  it('collects every new commit through all parents of merges, parents first, and stops at mirrored ones', async () => {
    const { log, state } = logOf(history);
    const commits = await commitsToMirror('merge', log, mirroredSet(['base', 'root']));
    expect(commits.map((x) => x.id)).toEqual(['f1', 'a', 'f2', 'b', 'merge']);
    expect(state.read).toBe(5); // base and root were never needed
  });

  it('walks to the root of a repository mirrored for the first time', async () => {
    const { log } = logOf(history);
    const commits = await commitsToMirror('merge', log, mirroredSet([]));
    expect(commits[0].id).toBe('root');
    expect(commits).toHaveLength(history.length);
  });

  it('fails loudly when the log ends before a needed parent', async () => {
    const { log } = logOf([c('b', 'a')]);
    await expect(commitsToMirror('b', log, mirroredSet([]))).rejects.toThrow('commit log of b ended before reaching a');
  });
});
