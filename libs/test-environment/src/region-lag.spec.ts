import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { holdBack, release } from './region-lag';

type Command = HeadObjectCommand | DeleteObjectCommand | GetObjectCommand | PutObjectCommand;

/** An S3 client on an in-memory bucket, recording the commands it was sent. */
function fakeS3(objects = new Map<string, Uint8Array>()): { s3: S3Client; objects: Map<string, Uint8Array>; sent: string[] } {
  const sent: string[] = [];
  const send = async (command: Command): Promise<unknown> => {
    const { Bucket, Key } = command.input;
    const id = `${Bucket}/${Key}`;
    sent.push(`${command.constructor.name} ${id}`);
    if (command instanceof HeadObjectCommand) {
      if (!objects.has(id)) throw new NotFound({ message: 'not found', $metadata: { httpStatusCode: 404 } });
      return {};
    }
    if (command instanceof DeleteObjectCommand) {
      objects.delete(id);
      return {};
    }
    if (command instanceof GetObjectCommand) {
      const bytes = objects.get(id);
      if (!bytes) throw new Error(`no ${id}`);
      return { Body: { transformToByteArray: async () => bytes } };
    }
    objects.set(id, Buffer.from(command.input.Body as Uint8Array));
    return {};
  };
  return { s3: { send } as unknown as S3Client, objects, sent };
}

describe('simulated replication lag', () => {
  it('waits for the object to reach the mirror region, then removes it there', async () => {
    const mirror = fakeS3();
    setTimeout(() => mirror.objects.set('b/k', Buffer.from('x')), 20);
    await holdBack(mirror.s3, { bucket: 'b', key: 'k' });
    expect(mirror.objects.has('b/k')).toBe(false);
    expect(mirror.sent.at(-1)).toBe('DeleteObjectCommand b/k');
  });

  it('releases the object with the source bytes', async () => {
    const source = fakeS3(new Map([['a/k', Buffer.from('payload')]]));
    const mirror = fakeS3();
    await release(source.s3, { bucket: 'a', key: 'k' }, mirror.s3, { bucket: 'b', key: 'k' });
    expect(Buffer.from(mirror.objects.get('b/k') ?? []).toString()).toBe('payload');
  });
});
