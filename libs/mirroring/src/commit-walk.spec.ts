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

  describe('a batch at a time', () => {
    // A backlog: 1,000 new commits in a line on top of a mirrored base.
    const backlog = [...Array(1000).keys()].map((i) => c(`c${i}`, i === 0 ? 'base' : `c${i - 1}`)).reverse();
    const counting = (mirrored: string[]) => {
      const calls: string[][] = [];
      const isMirrored = async (asked: string[]) => {
        calls.push(asked);
        return mirroredSet(mirrored)(asked);
      };
      return { calls, isMirrored };
    };

    it('asks about a whole page of the log at once: a backlog costs two calls, not a thousand', async () => {
      const { log } = logOf([...backlog, c('base', 'root'), c('root')]);
      const { calls, isMirrored } = counting(['base', 'root']);
      const commits = await commitsToMirror('c999', log, isMirrored, { batchSize: 1000 });
      expect(commits.map((x) => x.id)).toEqual([...backlog].reverse().map((x) => x.id));
      expect(calls).toHaveLength(2);
    });

    it('reads no further than the batch that completes the walk', async () => {
      const { log, state } = logOf([...backlog, c('base', 'root'), c('root')]);
      await commitsToMirror('c999', log, counting(['base']).isMirrored, { batchSize: 1000 });
      expect(state.read).toBe(1000);
    });

    it('finds the same commits as one at a time, merges included, whatever the batch size', async () => {
      for (const batchSize of [1, 2, 3, 100]) {
        const { log } = logOf(history);
        const commits = await commitsToMirror('merge', log, mirroredSet(['base', 'root']), { batchSize });
        expect(commits.map((x) => x.id)).toEqual(['f1', 'a', 'f2', 'b', 'merge']);
      }
    });
  });
});
