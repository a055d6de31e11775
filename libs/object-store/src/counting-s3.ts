import type { S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client that counts the requests sent through it, for one piece of work (a verification
 * chunk, a metarange read): the cost figures the status and the benchmark report.
 */
export class CountingS3 {
  requests = 0;
  readonly client: S3Client;

  constructor(inner: S3Client) {
    const send = ((command: Parameters<S3Client['send']>[0]) => {
      this.requests++;
      return inner.send(command as never);
    }) as S3Client['send'];
    this.client = new Proxy(inner, { get: (target, property, receiver) => (property === 'send' ? send : Reflect.get(target, property, receiver)) });
  }
}
