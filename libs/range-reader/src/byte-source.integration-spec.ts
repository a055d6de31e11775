import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { BufferSource, S3ObjectSource } from './byte-source';

describe('S3ObjectSource against MinIO', () => {
  const env = testEnvironment();

  it.each([
    [10_000, 512 * 1024],
    [64 * 1024, 64 * 1024],
    [300_000, 64 * 1024],
    [1_200_000, 512 * 1024],
  ])('reads any span of a %i-byte object exactly like the bytes themselves, fetching a %i-byte tail first', async (size, tailBytes) => {
    const bytes = randomBytes(size);
    const key = `${uniqueName('bytes')}/object`;
    await env.regionB.s3.send(new PutObjectCommand({ Bucket: env.regionB.bucket, Key: key, Body: bytes }));
    const s3 = new S3ObjectSource(env.regionB.s3, env.regionB.bucket, key, tailBytes);
    const reference = new BufferSource(bytes);
    expect(await s3.size()).toBe(size);
    const spans = [
      [0, size],
      [0, 1],
      [size - 53, 53],
      [Math.floor(size / 3), Math.floor(size / 2)],
      [size - 70_000 > 0 ? size - 70_000 : 0, Math.min(size, 70_000)],
    ];
    for (const [offset, length] of spans) {
      expect((await s3.read(offset, length)).equals(await reference.read(offset, length))).toBe(true);
      const streamed: Buffer[] = [];
      for await (const chunk of s3.stream(offset, length)) streamed.push(chunk);
      expect(Buffer.concat(streamed).equals(bytes.subarray(offset, offset + length))).toBe(true);
    }
  });
});
