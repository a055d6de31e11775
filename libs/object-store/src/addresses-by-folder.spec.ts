import { AddressesByFolder } from './addresses-by-folder';

describe('AddressesByFolder', () => {
  it('groups addresses by folder, in sorted folder order, each folder sorted and without repeats', () => {
    const addresses = new AddressesByFolder();
    for (const [address, tag] of [
      ['data/g2/b', 0],
      ['data/g1/z', 0],
      ['data/g2/a', 1],
      ['data/g1/y', 1],
      ['data/g2/b', 2],
      ['top-level', 3],
    ] as const)
      addresses.add(address, tag);

    expect(addresses.count).toBe(6);
    expect(addresses.folders().map((f) => [f.folder, f.sortedUnique()])).toEqual([
      ['', ['top-level']],
      ['data/g1/', ['data/g1/y', 'data/g1/z']],
      ['data/g2/', ['data/g2/a', 'data/g2/b']],
    ]);
  });

  it('maps addresses back to every tag that added them, and nothing for addresses it does not hold', () => {
    const addresses = new AddressesByFolder();
    addresses.add('data/g1/a', 7);
    addresses.add('data/g1/b', 7);
    addresses.add('data/g1/a', 9);
    addresses.add('data/g1/c', 9);
    const [folder] = addresses.folders();

    expect(folder.tagsOf(new Set(['data/g1/a', 'data/g1/c', 'data/g9/a']))).toEqual(
      new Map([
        [7, ['data/g1/a']],
        [9, ['data/g1/a', 'data/g1/c']],
      ]),
    );
    expect(folder.tagsOf(new Set())).toEqual(new Map());
  });

  it('keeps names of any length and characters intact as its buffers grow', () => {
    const addresses = new AddressesByFolder();
    const names = Array.from({ length: 3_000 }, (_, i) => `n${i}-${'é漢🙂'.repeat(i % 7)}${'x'.repeat(i % 500)}`);
    names.forEach((name, i) => addresses.add(`data/part/${name}`, i));
    const [folder] = addresses.folders();

    expect(folder.sortedUnique()).toEqual(names.map((n) => `data/part/${n}`).sort());
    expect(folder.tagsOf(new Set([`data/part/${names[2_999]}`]))).toEqual(new Map([[2_999, [`data/part/${names[2_999]}`]]]));
  });

  it('holds an address in its name bytes and 8 more, not a string each', () => {
    const addresses = new AddressesByFolder();
    for (let i = 0; i < 100_000; i++) addresses.add(`data/gpartition/c${String(i).padStart(19, '0')}`, i);

    // 20-byte names: at most twice (28 B) an address, from doubling the buffers.
    expect(addresses.heldBytes).toBeLessThanOrEqual(100_000 * 28 * 2);
    expect(addresses.heldBytes).toBeGreaterThanOrEqual(100_000 * 28);
  });
});
