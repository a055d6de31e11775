import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectLocation } from '@lakemirror/object-store';
import { objectExists } from '@lakemirror/object-store';
import { waitFor } from '@lakemirror/testing';

/**
 * Simulates replication lag for one object: waits until it has reached the mirror region,
 * then removes it there (a delete in region B is not replicated back to A).
 */
export async function holdBack(mirrorS3: S3Client, location: ObjectLocation): Promise<void> {
  await waitFor(`${location.key} to reach the mirror region`, () => objectExists(mirrorS3, location), { timeoutMs: 60_000 });
  await mirrorS3.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: location.key }));
}

/** Lets a held-back object "arrive": copies it from the source region to the mirror region. */
export async function release(sourceS3: S3Client, from: ObjectLocation, mirrorS3: S3Client, to: ObjectLocation): Promise<void> {
  const object = await sourceS3.send(new GetObjectCommand({ Bucket: from.bucket, Key: from.key }));
  const body = Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  await mirrorS3.send(new PutObjectCommand({ Bucket: to.bucket, Key: to.key, Body: body }));
}
