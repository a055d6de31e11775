import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { uniqueName } from '@lakemirror/testing';
import { mapWithConcurrency } from './bounded-map';
import { localObjectStores } from './local-object-stores.fixture';
import { BucketNotFoundError } from './object-existence';
import { findMissingKeys, findMissingUnder } from './presence-check';
import { RecentListings } from './recent-listings';

describe('findMissingKeys against MinIO', () => {
  const env = localObjectStores();
  const { s3, bucket } = env.regionB;
  const root = uniqueName('presence');
  // A dense partition (as lakeFS writes a commit's objects), neighbours that must not count, and a sparse folder.
  const dense = Array.from({ length: 2_500 }, (_, i) => `${root}/data/g1/obj-${String(i).padStart(5, '0')}`);
  const sparse = [`${root}/data/g2/a`, `${root}/data/g3/b`];
  const neighbours = [`${root}/data/g1/aaa-before`, `${root}/data/g1/zzz-after`];

  beforeAll(async () => {
    await mapWithConcurrency([...dense, ...sparse, ...neighbours], 32, (key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '-' })));
  });

  it('finds every key present, with LIST pages for dense folders and HEADs for sparse ones', async () => {
    const report = await findMissingKeys(s3, bucket, [...dense, ...sparse]);
    expect(report.missing).toEqual([]);
    expect(report.requests).toBe(3 + 2); // 2,500 keys in 3 LIST pages, 2 HEADs
  });

  it('names exactly the missing keys, in dense and sparse folders', async () => {
    const gone = [dense[0], dense[1234], dense[2499], sparse[1]];
    for (const key of gone) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const wantedButNeverWritten = `${root}/data/g1/obj-99999`;
    const report = await findMissingKeys(s3, bucket, [...dense, ...sparse, wantedButNeverWritten]);
    expect(report.missing).toEqual([...gone, wantedButNeverWritten].sort());
  });

  it('gives the same answer whichever way it reads', async () => {
    const byHead = await findMissingKeys(s3, bucket, dense.slice(0, 300), { listThreshold: 1_000_000 });
    const byList = await findMissingKeys(s3, bucket, dense.slice(0, 300), { listThreshold: 1 });
    expect(byHead.missing).toEqual(byList.missing);
    expect(byHead.requests).toBe(300);
    expect(byList.requests).toBe(1);
  });

  it('throws for a missing bucket instead of reporting everything missing', async () => {
    await expect(findMissingKeys(s3, 'no-such-bucket-lakemirror', dense.slice(0, 50))).rejects.toThrow(BucketNotFoundError);
    await expect(findMissingKeys(s3, 'no-such-bucket-lakemirror', ['x'])).rejects.toThrow(BucketNotFoundError);
  });

  it('checks addresses relative to a prefix, reading a large folder as parallel spans at about one page more per span', async () => {
    const relative = (key: string) => key.slice(`${root}/`.length);
    const addresses = [...dense, ...sparse].map(relative).sort();
    const whole = await findMissingUnder(s3, bucket, root, addresses);
    const spans = await findMissingUnder(s3, bucket, `${root}/`, addresses, { spanKeys: 500 });
    const gone = [dense[0], dense[1234], dense[2499], sparse[1]].map(relative).sort();
    expect(whole.missing).toEqual(gone);
    expect(spans.missing).toEqual(gone);
    expect(whole.requests).toBe(3 + 2);
    // Five spans of 500 wanted keys: at most one partial page each beyond the three of one stream.
    expect(spans.requests).toBeGreaterThanOrEqual(5 + 2);
    expect(spans.requests).toBeLessThanOrEqual(3 + 5 + 2);
  });

  it("asks a small span's first page for about its own number of keys, and pages on when others lie between them", async () => {
    const relative = (key: string) => key.slice(`${root}/`.length);
    let listed = 0;
    const sideBySide = await findMissingUnder(s3, bucket, root, dense.slice(300, 400).map(relative), { onListed: (keys) => (listed += keys) });
    expect(sideBySide).toEqual({ missing: [], requests: 1 });
    expect(listed).toBeLessThanOrEqual(100 + 16);

    const everyOther = dense.slice(600, 800).filter((_, i) => i % 2 === 0);
    const interleaved = await findMissingUnder(s3, bucket, root, [...everyOther, `${root}/data/g1/obj-00700x`].map(relative).sort());
    expect(interleaved.missing).toEqual(['data/g1/obj-00700x']);
    expect(interleaved.requests).toBe(2);
  });

  it('lets checks of neighbouring keys share a recent page, and lists afresh for a check it cannot answer whole', async () => {
    const relative = (key: string) => key.slice(`${root}/`.length);
    const recentListings = new RecentListings();
    const check = (keys: string[]) => findMissingUnder(s3, bucket, root, keys.map(relative), { recentListings });
    // Three neighbouring commits of 100 objects each: the first reads a full page, which holds the next two.
    expect(await check(dense.slice(1500, 1600))).toEqual({ missing: [], requests: 1 });
    expect(await check(dense.slice(1600, 1700))).toEqual({ missing: [], requests: 0 });
    expect(await check(dense.slice(1700, 1800))).toEqual({ missing: [], requests: 0 });

    // A key the page does not show is never taken as missing from it: the check lists afresh, which also sees a later delete.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: dense[1850] }));
    const neverWritten = `${root}/data/g1/obj-01850x`;
    expect(await check([...dense.slice(1800, 1900), neverWritten].sort())).toEqual({ missing: [dense[1850], neverWritten].map(relative), requests: 1 });
    // The newest page answers: it lacks the deleted key, so that key is listed again and found missing.
    expect(await check(dense.slice(1840, 1880))).toEqual({ missing: [relative(dense[1850])], requests: 1 });
  });

  it('reports every listed page as it arrives', async () => {
    let listed = 0;
    await findMissingUnder(
      s3,
      bucket,
      root,
      dense.map((key) => key.slice(`${root}/`.length)),
      { onListed: (keys) => (listed += keys) },
    );
    // Listing starts just before the first wanted key and stops at the page holding the last one.
    expect(listed).toBeGreaterThanOrEqual(dense.length - 3);
    expect(listed).toBeLessThanOrEqual(dense.length + neighbours.length);
  });
});
