import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** Every key under `prefix` in `bucket`, one LIST page (up to 1,000 keys) at a time. */
export async function* listKeys(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
    token = page.NextContinuationToken;
  } while (token);
}
