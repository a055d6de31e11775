import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { uniqueName } from '@lakemirror/testing';
import { mapWithConcurrency } from './bounded-map';
import { listKeys } from './list-keys';
import { listKeysPage } from './list-page';
import { localObjectStores } from './local-object-stores.fixture';

describe('listKeysPage against MinIO', () => {
  const { s3, bucket } = localObjectStores().regionB;
  const root = `${uniqueName('list-page')}/`;
  // Keys S3 must escape in XML, multi-byte UTF-8, and enough plain ones for several pages.
  const awkward = ['a & b', '<tag>', 'quote "double" \'single\'', 'caf\u00e9/\u65e5\u672c', 'tab\there', 'plus+equals=percent%'].map((k) => root + k);
  const plain = Array.from({ length: 1_050 }, (_, i) => `${root}p/${String(i).padStart(5, '0')}`);
  const every = [...awkward, ...plain].sort();

  beforeAll(async () => {
    await mapWithConcurrency(every, 32, (key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '-' })));
  });

  it('reads the same keys, page by page, as the SDK does', async () => {
    let token: string | undefined;
    const pages: number[] = [];
    const keys: string[] = [];
    do {
      const page = await listKeysPage(s3, { bucket, prefix: root, continuationToken: token, maxKeys: 400 });
      const sdk = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: root, ContinuationToken: token, MaxKeys: 400 }));
      expect(page.keys).toEqual((sdk.Contents ?? []).map((o) => o.Key));
      expect(page.nextToken === undefined).toBe(sdk.NextContinuationToken === undefined);
      pages.push(page.keys.length);
      keys.push(...page.keys);
      token = page.nextToken;
    } while (token);
    expect(pages).toEqual([400, 400, 256]);
    expect(keys).toEqual(every);
  });

  it('starts after a given key, and lists nothing under an empty prefix', async () => {
    const page = await listKeysPage(s3, { bucket, prefix: `${root}p/`, startAfter: plain[1_047], maxKeys: 10 });
    expect(page).toEqual({ keys: plain.slice(1_048), nextToken: undefined });
    expect(await listKeysPage(s3, { bucket, prefix: `${root}nothing-here/` })).toEqual({ keys: [], nextToken: undefined });
  });

  it('lists a whole prefix through listKeys', async () => {
    const keys: string[] = [];
    for await (const key of listKeys(s3, bucket, root)) keys.push(key);
    expect(keys).toEqual(every);
  });

  it('throws the SDK error for a bucket that does not exist', async () => {
    await expect(listKeysPage(s3, { bucket: uniqueName('no-such-bucket'), prefix: root })).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
