import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CountingS3 } from './counting-s3';

describe('CountingS3', () => {
  it('counts every request it passes on, and passes on the client itself otherwise', async () => {
    const sent: unknown[] = [];
    const inner = { send: async (command: unknown) => sent.push(command), config: { region: 'x' } } as unknown as S3Client;
    const counting = new CountingS3(inner);
    await counting.client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k1' }));
    await counting.client.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k2' }));
    expect(counting.requests).toBe(2);
    expect(sent).toHaveLength(2);
    expect(counting.client.config).toBe(inner.config);
  });
});
