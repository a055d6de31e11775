import { RecentListings } from './recent-listings';

describe('RecentListings', () => {
  const folder = 'ns/data/g1/';
  const page = ['a', 'b', 'c', 'd', 'e'].map((name) => folder + name);
  let clock = 0;
  const listings = () => new RecentListings(1_000, 4, () => clock);
  const listPage = (keys: string[]) => async () => ({ keys, result: keys.length });

  beforeEach(() => (clock = 0));

  it('answers "all present" for keys a recent page of the folder showed', async () => {
    const recent = listings();
    await recent.listing('b', folder, folder + '0', listPage(page));
    expect(await recent.allPresent('b', folder, [folder + 'b', folder + 'c'])).toBe(true);
    expect(await recent.allPresent('b', folder, [folder + 'a', folder + 'e'])).toBe(true);
  });

  it('never answers for a key the page did not show, past its last key, in another folder or bucket, or once the page is too old', async () => {
    const recent = listings();
    await recent.listing('b', folder, folder + '0', listPage(page.filter((key) => key !== folder + 'c')));
    expect(await recent.allPresent('b', folder, [folder + 'b', folder + 'c'])).toBe(false);
    expect(await recent.allPresent('b', folder, [folder + 'e', folder + 'f'])).toBe(false);
    expect(await recent.allPresent('b', 'ns/data/g2/', ['ns/data/g2/b'])).toBe(false);
    expect(await recent.allPresent('other-bucket', folder, [folder + 'b'])).toBe(false);
    clock = 1_001;
    expect(await recent.allPresent('b', folder, [folder + 'b'])).toBe(false);
  });

  it('does not answer for keys at or before where the page started', async () => {
    const recent = listings();
    await recent.listing('b', folder, folder + 'b', listPage(page.slice(2)));
    expect(await recent.allPresent('b', folder, [folder + 'b', folder + 'c'])).toBe(false);
    expect(await recent.allPresent('b', folder, [folder + 'c', folder + 'd'])).toBe(true);
  });

  it('lets a check that starts while a listing from before its keys is under way wait for that listing', async () => {
    const recent = listings();
    let release: () => void = () => undefined;
    const listed = recent.listing(
      'b',
      folder,
      folder + '0',
      () => new Promise<{ keys: string[]; result: string }>((resolve) => (release = () => resolve({ keys: page, result: 'page' }))),
    );
    const check = recent.allPresent('b', folder, [folder + 'd']);
    release();
    expect(await listed).toBe('page');
    expect(await check).toBe(true);
  });

  it('keeps no more than its number of pages, newest first', async () => {
    const recent = listings();
    for (const name of ['p', 'q', 'r', 's', 't']) await recent.listing('b', `ns/${name}/`, `ns/${name}/0`, listPage([`ns/${name}/x`]));
    expect(await recent.allPresent('b', 'ns/p/', ['ns/p/x'])).toBe(false);
    expect(await recent.allPresent('b', 'ns/q/', ['ns/q/x'])).toBe(true);
    expect(await recent.allPresent('b', 'ns/t/', ['ns/t/x'])).toBe(true);
  });

  it('keeps nothing from a listing that failed, and lets waiting checks go on', async () => {
    const recent = listings();
    const failed = recent.listing('b', folder, folder + '0', async () => {
      throw new Error('unreachable');
    });
    const check = recent.allPresent('b', folder, [folder + 'b']);
    await expect(failed).rejects.toThrow('unreachable');
    expect(await check).toBe(false);
  });
});
