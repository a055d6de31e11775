import { S3Client } from '@aws-sdk/client-s3';
import { listKeysPage } from './list-page';

/** Every key under `prefix` in `bucket`, one LIST page (up to 1,000 keys) at a time. */
export async function* listKeys(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    const page = await listKeysPage(s3, { bucket, prefix, continuationToken: token });
    yield* page.keys;
    token = page.nextToken;
  } while (token);
}
