import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
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

/** An object in S3 (or MinIO), read with ranged GETs. A missing object is a NOT_FOUND RangeReaderError. */
export class S3ObjectSource implements ByteSource {
  readonly name: string;
  private knownSize?: number;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {
    this.name = `s3://${bucket}/${key}`;
  }

  async size(): Promise<number> {
    if (this.knownSize === undefined) {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key })).catch((e: unknown) => this.rethrow(e));
      this.knownSize = head.ContentLength ?? 0;
    }
    return this.knownSize;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(offset, length)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async *stream(offset: number, length: number): AsyncIterable<Buffer> {
    if (length <= 0) return;
    const object = await this.s3
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key, Range: `bytes=${offset}-${offset + length - 1}` }))
      .catch((e: unknown) => this.rethrow(e));
    for await (const chunk of object.Body as Readable) yield chunk as Buffer;
  }

  private rethrow(error: unknown): never {
    const notFound = error instanceof NotFound || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);
    if (notFound) throw new RangeReaderError('NOT_FOUND', this.name, 'the object does not exist (not replicated yet?)');
    throw error;
  }
}
