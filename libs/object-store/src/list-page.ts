import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';

export interface ListPageRequest {
  bucket: string;
  prefix?: string;
  /** Where a listing starts (exclusive); ignored by the store when a continuation token is given. */
  startAfter?: string;
  continuationToken?: string;
  /** Keys on the page at most; the store's own limit (1,000 on S3) when left out. */
  maxKeys?: number;
}

export interface KeysPage {
  /** The page's keys, in the store's (ascending) order. */
  keys: string[];
  /** The token for the next page; undefined on the last. */
  nextToken: string | undefined;
}

const CONTENTS_OPEN = Buffer.from('<Contents>');
const CONTENTS_CLOSE = Buffer.from('</Contents>');
const KEY_OPEN = Buffer.from('<Key>');
const KEY_CLOSE = Buffer.from('</Key>');

/**
 * One LIST page of `bucket`, keys only. The SDK turns a page into a string of the whole body, then
 * an object per key (ETag, size, date, storage class): at 1,000 keys a page that is three quarters
 * of a listing's CPU, and most of the garbage a sweep of a million objects leaves behind. Here each
 * <Key> is read straight out of the body's bytes, and the SDK parses the page without its <Contents>
 * elements, so signing, retries, errors and the page's other fields stay the SDK's own. A missing
 * bucket throws the SDK's NoSuchBucket, as ListObjectsV2Command does.
 */
export async function listKeysPage(s3: S3Client, request: ListPageRequest): Promise<KeysPage> {
  let keys: string[] = [];
  const command = new ListObjectsV2Command({
    Bucket: request.bucket,
    Prefix: request.prefix,
    StartAfter: request.startAfter,
    ContinuationToken: request.continuationToken,
    MaxKeys: request.maxKeys,
  });
  // Innermost in the deserialize step: it sees the store's response before any SDK middleware reads its body.
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) return result;
      const page = splitListPage(await bodyBytes(response.body));
      keys = page.keys;
      response.body = Readable.from([page.rest]);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'lakemirrorKeysOnly' },
  );
  const output = await s3.send(command);
  return { keys, nextToken: output.NextContinuationToken };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/**
 * Splits a ListObjectsV2 response body into the keys of its <Contents> elements and the rest of the
 * document (everything but those elements). Anything that is not such a page (an error document, an
 * empty body) comes back whole, with no keys, for the SDK to judge.
 */
export function splitListPage(body: Buffer): { keys: string[]; rest: Buffer } {
  const keys: string[] = [];
  const kept: Buffer[] = [];
  let copiedTo = 0;
  let at = body.indexOf(CONTENTS_OPEN);
  while (at >= 0) {
    const end = body.indexOf(CONTENTS_CLOSE, at);
    if (end < 0) break;
    const keyStart = body.indexOf(KEY_OPEN, at);
    if (keyStart >= 0 && keyStart < end) {
      const keyEnd = body.indexOf(KEY_CLOSE, keyStart);
      keys.push(xmlText(body.toString('utf8', keyStart + KEY_OPEN.length, keyEnd)));
    }
    if (at > copiedTo) kept.push(body.subarray(copiedTo, at));
    copiedTo = end + CONTENTS_CLOSE.length;
    at = body.indexOf(CONTENTS_OPEN, copiedTo);
  }
  if (copiedTo === 0) return { keys, rest: body };
  kept.push(body.subarray(copiedTo));
  return { keys, rest: Buffer.concat(kept) };
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character data with its entity and character references resolved (S3 writes a key's &, <, > and control characters as references). */
export function xmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name] ?? whole;
  });
}
