import { PutObjectCommand } from '@aws-sdk/client-s3';
import { objectExists } from '@lakemirror/object-store';
import { uniqueName } from '@lakemirror/testing';
import { holdBack, release } from './region-lag';
import { testEnvironment } from './test-environment';

describe('simulated replication lag', () => {
  const env = testEnvironment();

  it('holds an object back from region B and lets it arrive later, byte for byte', async () => {
    const key = `${uniqueName('lag')}/data/object`;
    const source = { bucket: env.source.bucket, key };
    const mirror = { bucket: env.regionB.bucket, key };
    await env.source.s3.send(new PutObjectCommand({ Bucket: source.bucket, Key: key, Body: 'payload' }));
    await holdBack(env.regionB.s3, mirror);
    expect(await objectExists(env.regionB.s3, mirror)).toBe(false);
    await release(env.source.s3, source, env.regionB.s3, mirror);
    expect(await objectExists(env.regionB.s3, mirror)).toBe(true);
  });
});
