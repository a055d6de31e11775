import { EntryAddress, classifyChunkEntries, entryCheck } from './chunk-entries';

const relative = (address: string): EntryAddress => ({ addressType: 'relative', address });
const full = (address: string): EntryAddress => ({ addressType: 'full', address });
const range = (n: number) => Array.from({ length: n }, (_, i) => relative(`data/o${i}`));
const none = new Set<string>();

/** A range read lazily that records how many entries were asked for and whether it was closed. */
function lazyRange(entries: EntryAddress[]) {
  const reads = { pulled: 0, closed: false };
  async function* read() {
    try {
      for (const entry of entries) {
        reads.pulled++;
        yield entry;
      }
    } finally {
      reads.closed = true;
    }
  }
  return { entries: read(), reads };
}

describe('entryCheck', () => {
  it('never takes a full address as present, even when the same string is known present', () => {
    expect(entryCheck(full('s3://elsewhere/x'), new Set(['s3://elsewhere/x']))).toBe('outside-namespace');
  });

  it('skips a relative address a verified base range holds and looks up any other', () => {
    expect(entryCheck(relative('data/a'), new Set(['data/a']))).toBe('known-present');
    expect(entryCheck(relative('data/b'), new Set(['data/a']))).toBe('look-up');
  });
});

describe('classifyChunkEntries', () => {
  it('takes exactly the entries of [firstEntry, endEntry)', async () => {
    expect(await classifyChunkEntries(range(10), { firstEntry: 2, endEntry: 5 }, none)).toEqual({
      toLookUp: ['data/o2', 'data/o3', 'data/o4'],
      fullAddress: 0,
      skipped: 0,
    });
  });

  it('stops reading at endEntry and closes the range instead of reading it to its end', async () => {
    const { entries, reads } = lazyRange(range(1_000));
    const chunk = await classifyChunkEntries(entries, { firstEntry: 0, endEntry: 3 }, none);
    expect(chunk.toLookUp).toEqual(['data/o0', 'data/o1', 'data/o2']);
    expect(reads).toEqual({ pulled: 3, closed: true });
  });

  it('reads a range to its end when endEntry lies past it (the last chunk of a range)', async () => {
    const { entries, reads } = lazyRange(range(10));
    const chunk = await classifyChunkEntries(entries, { firstEntry: 8, endEntry: 2_147_483_647 }, none);
    expect(chunk.toLookUp).toEqual(['data/o8', 'data/o9']);
    expect(reads).toEqual({ pulled: 10, closed: true });
  });

  it('finds nothing to check when the range is shorter than firstEntry, or empty', async () => {
    expect(await classifyChunkEntries(range(3), { firstEntry: 5, endEntry: 10 }, none)).toEqual({ toLookUp: [], fullAddress: 0, skipped: 0 });
    expect(await classifyChunkEntries([], { firstEntry: 0, endEntry: 2_147_483_647 }, none)).toEqual({ toLookUp: [], fullAddress: 0, skipped: 0 });
  });

  it('reads an empty range still, so that a range file not replicated yet fails the check', async () => {
    const notReplicated = new Error('range file not found');
    const missingFile: AsyncIterable<EntryAddress> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(notReplicated) }),
    };
    await expect(classifyChunkEntries(missingFile, { firstEntry: 0, endEntry: 2_147_483_647 }, none)).rejects.toBe(notReplicated);
  });

  it('counts full addresses apart, never skipped nor looked up, even when their address is known present', async () => {
    const entries = [relative('data/a'), full('s3://other/data/a'), full('data/a'), relative('data/b')];
    expect(await classifyChunkEntries(entries, { firstEntry: 0, endEntry: 4 }, new Set(['data/a', 's3://other/data/a']))).toEqual({
      toLookUp: ['data/b'],
      fullAddress: 2,
      skipped: 1,
    });
  });

  it('accounts for every entry of the window once, repeated addresses included', async () => {
    const entries = [relative('data/a'), relative('data/a'), relative('data/k'), relative('data/k'), full('s3://x/y'), full('s3://x/y')];
    const chunk = await classifyChunkEntries(entries, { firstEntry: 0, endEntry: 6 }, new Set(['data/k']));
    expect(chunk).toEqual({ toLookUp: ['data/a', 'data/a'], fullAddress: 2, skipped: 2 });
  });

  it('refuses an empty, inverted or fractional window', async () => {
    for (const window of [
      { firstEntry: 3, endEntry: 3 },
      { firstEntry: 4, endEntry: 3 },
      { firstEntry: -1, endEntry: 3 },
      { firstEntry: 0, endEntry: 2.5 },
    ]) {
      await expect(classifyChunkEntries(range(5), window, none)).rejects.toThrow(RangeError);
    }
  });
});
