import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '@lakemirror/config';
import { localBuckets, uniqueName, waitFor } from '@lakemirror/testing';
import { latestVersionOf } from './latest-version';
import { localObjectStores } from './local-object-stores.fixture';
import { objectExists } from './object-existence';
import { createS3Client } from './s3-client.factory';

// Region B's bucket is versioned (MinIO replication needs it): a plain delete leaves a delete marker.
describe('latestVersionOf against MinIO', () => {
  const { s3, bucket } = localObjectStores().regionB;
  const root = uniqueName('versions');

  it('says absent for a key never written, even when longer keys share its prefix', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${root}/a/object-1`, Body: '-' }));
    expect(await latestVersionOf(s3, bucket, `${root}/a/object`)).toEqual({ kind: 'absent' });
  });

  it('says object for a key whose latest version is an object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${root}/b/object`, Body: '-' }));
    expect(await latestVersionOf(s3, bucket, `${root}/b/object`)).toMatchObject({ kind: 'object' });
  });

  it('says delete-marker, not a replica, for an object deleted in this bucket', async () => {
    const key = `${root}/c/object`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '-' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect(await latestVersionOf(s3, bucket, key)).toMatchObject({ kind: 'delete-marker', replica: false });
  });

  it('says absent once every version is deleted', async () => {
    const key = `${root}/d/object`;
    const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '-' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId }));
    expect(await latestVersionOf(s3, bucket, key)).toEqual({ kind: 'absent' });
  });

  it('says delete-marker, a replica, for an object deleted in the bucket replicated from', async () => {
    const regionA = { s3: createS3Client(loadConfig().source.objectStore), bucket: localBuckets().source };
    const key = `${root}/e/object`;
    await regionA.s3.send(new PutObjectCommand({ Bucket: regionA.bucket, Key: key, Body: '-' }));
    await waitFor('the object to reach region B', () => objectExists(s3, { bucket, key }), { timeoutMs: 60_000, intervalMs: 200 });
    await regionA.s3.send(new DeleteObjectCommand({ Bucket: regionA.bucket, Key: key }));
    const latest = await waitFor(
      'the delete marker to reach region B',
      async () => {
        const version = await latestVersionOf(s3, bucket, key);
        return version.kind === 'delete-marker' ? version : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(latest).toMatchObject({ kind: 'delete-marker', replica: true });
    regionA.s3.destroy();
  });
});
