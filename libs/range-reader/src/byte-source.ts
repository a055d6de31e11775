import { GetObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RangeReaderError } from './range-reader.errors';

/**
 * Random and sequential access to the bytes of one file, wherever it is. The reader asks for
 * the footer and index blocks with `read`, and streams data blocks with `stream`, so memory
 * stays bounded by a block, not the file.
 */
export interface ByteSource {
  /** Names the file in errors: a path or an s3:// URI. */
  readonly name: string;
  size(): Promise<number>;
  read(offset: number, length: number): Promise<Buffer>;
  stream(offset: number, length: number): AsyncIterable<Buffer>;
}

export class BufferSource implements ByteSource {
  constructor(
    private readonly buffer: Buffer,
    readonly name = 'buffer',
  ) {}

  async size(): Promise<number> {
    return this.buffer.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    return this.buffer.subarray(offset, offset + length);
  }

  async *stream(offset: number, length: number): AsyncIterable<Buffer> {
    yield this.buffer.subarray(offset, offset + length);
  }
}

export class FileSource implements ByteSource {
  constructor(readonly name: string) {}

  async size(): Promise<number> {
    return (await stat(this.name)).size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const handle = await open(this.name, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  stream(offset: number, length: number): AsyncIterable<Buffer> {
    if (length <= 0) return (async function* () {})();
    return createReadStream(this.name, { start: offset, end: offset + length - 1, highWaterMark: 64 * 1024 });
  }
}

/**
 * Bytes fetched once from the end of an S3 object: the footer, index and properties live there.
 * A GET's round trip costs far more than decoding its bytes (benchmark: ~5-15 ms against
 * ~100 KB for a 1,000-entry range), so the tail is large enough to hold most range files whole.
 */
const TAIL_BYTES = 512 * 1024;

/**
 * An object in S3 (or MinIO), read with ranged GETs. The first call fetches the last 512 KiB
 * (and so the object's size) in one request, so opening a table costs one GET, and a range file
 * up to that size is read whole by it. A missing object is a NOT_FOUND RangeReaderError.
 */
export class S3ObjectSource implements ByteSource {
  readonly name: string;
  private tail?: Promise<{ offset: number; bytes: Buffer }>;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly tailBytes = TAIL_BYTES,
  ) {
    this.name = `s3://${bucket}/${key}`;
  }

  async size(): Promise<number> {
    const tail = await this.loadTail();
    return tail.offset + tail.bytes.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(offset, length)) chunks.push(chunk);
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  async *stream(offset: number, length: number): AsyncIterable<Buffer> {
    if (length <= 0) return;
    const tail = await this.loadTail();
    const end = offset + length;
    if (offset < tail.offset) {
      const headEnd = Math.min(end, tail.offset);
      const object = await this.get(`bytes=${offset}-${headEnd - 1}`);
      for await (const chunk of object.Body as Readable) yield chunk as Buffer;
    }
    if (end > tail.offset) yield tail.bytes.subarray(Math.max(offset, tail.offset) - tail.offset, end - tail.offset);
  }

  private loadTail(): Promise<{ offset: number; bytes: Buffer }> {
    this.tail ??= (async () => {
      const object = await this.get(`bytes=-${this.tailBytes}`);
      const body = await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength); // a view, not a copy
      const total = /\/(\d+)$/.exec(object.ContentRange ?? '')?.[1];
      const size = total !== undefined ? Number(total) : bytes.length;
      return { offset: size - bytes.length, bytes };
    })();
    return this.tail;
  }

  private get(range: string) {
    return this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range: range })).catch((error: unknown) => {
      const notFound = error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
      if (notFound) throw new RangeReaderError('NOT_FOUND', this.name, 'the object does not exist (not replicated yet?)');
      throw error;
    });
  }
}
