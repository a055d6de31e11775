import { collect, paginate } from './paginate';

describe('paginate', () => {
  it('follows next_offset until has_more is false, one page at a time', async () => {
    const pages: Record<string, { results: number[]; next: string; more: boolean }> = {
      '': { results: [1, 2], next: 'b', more: true },
      b: { results: [3, 4], next: 'd', more: true },
      d: { results: [5], next: '', more: false },
    };
    const requested: string[] = [];
    const items = paginate(async (after) => {
      requested.push(after);
      const page = pages[after];
      return { results: page.results, pagination: { has_more: page.more, next_offset: page.next, results: page.results.length, max_per_page: 2 } };
    });
    expect(await collect(items)).toEqual([1, 2, 3, 4, 5]);
    expect(requested).toEqual(['', 'b', 'd']);
  });

  it('fetches no further page when the caller stops early', async () => {
    let calls = 0;
    const items = paginate(async () => {
      calls++;
      return { results: [1, 2, 3], pagination: { has_more: true, next_offset: 'x', results: 3, max_per_page: 3 } };
    });
    for await (const item of items) if (item === 2) break;
    expect(calls).toBe(1);
  });
});
