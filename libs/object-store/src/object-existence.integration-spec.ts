import { PutObjectCommand } from '@aws-sdk/client-s3';
import { uniqueName } from '@lakemirror/testing';
import { mapWithConcurrency } from './bounded-map';
import { listKeys } from './list-keys';
import { localObjectStores } from './local-object-stores.fixture';
import { BucketNotFoundError, checkObjectsExist, objectExists } from './object-existence';

describe('object existence against MinIO', () => {
  const env = localObjectStores();
  const prefix = uniqueName('existence');

  it('tells present objects from missing ones, with bounded concurrency', async () => {
    const present = Array.from({ length: 40 }, (_, i) => ({ bucket: env.regionB.bucket, key: `${prefix}/present-${i}` }));
    for (const location of present) {
      await env.regionB.s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: location.key }));
    }
    const missing = Array.from({ length: 10 }, (_, i) => ({ bucket: env.regionB.bucket, key: `${prefix}/missing-${i}` }));
    const report = await checkObjectsExist(env.regionB.s3, [...missing.slice(0, 5), ...present, ...missing.slice(5)], { concurrency: 8 });
    expect(report.present).toEqual(present);
    expect(report.missing).toEqual(missing);
  });

  it('throws, rather than answering "missing", when the bucket does not exist', async () => {
    const location = { bucket: 'no-such-bucket-lakemirror', key: 'x' };
    await expect(objectExists(env.regionB.s3, location)).rejects.toThrow(BucketNotFoundError);
    await expect(checkObjectsExist(env.regionB.s3, [location])).rejects.toThrow('bucket "no-such-bucket-lakemirror" does not exist');
  });

  it('answers for a single object', async () => {
    const key = `${prefix}/single`;
    expect(await objectExists(env.regionB.s3, { bucket: env.regionB.bucket, key })).toBe(false);
    await env.regionB.s3.send(new PutObjectCommand({ Bucket: env.regionB.bucket, Key: key, Body: 'x' }));
    expect(await objectExists(env.regionB.s3, { bucket: env.regionB.bucket, key })).toBe(true);
  });
});

describe('listKeys against MinIO', () => {
  const env = localObjectStores();

  it('lists every key under a prefix across pages', async () => {
    const prefix = uniqueName('listing');
    const keys = Array.from({ length: 1_005 }, (_, i) => `${prefix}/k-${String(i).padStart(4, '0')}`);
    await mapWithConcurrency(keys, 32, (key) => env.regionB.s3.send(new PutObjectCommand({ Bucket: env.regionB.bucket, Key: key, Body: '-' })));
    const listed: string[] = [];
    for await (const key of listKeys(env.regionB.s3, env.regionB.bucket, `${prefix}/`)) listed.push(key);
    expect(listed).toEqual(keys);
  });
});
