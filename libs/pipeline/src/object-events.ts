/** An object that landed in a bucket, as an object-created event names it. */
export interface CreatedObject {
  bucket: string;
  key: string;
}

/** A body that is no object-created notification; `field` names what is wrong. */
export class ObjectEventsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ObjectEventsError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new ObjectEventsError(field, 'must be a non-empty string');
  return value;
}

/** S3 notifications URL-encode keys the way HTML forms do: a space is "+". */
function decodedKey(encoded: string, field: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new ObjectEventsError(field, 'is not a URL-encoded key');
  }
}

function fromRecords(records: unknown[]): CreatedObject[] {
  const created: CreatedObject[] = [];
  records.forEach((record, i) => {
    const field = `Records[${i}]`;
    if (!isObject(record) || !isObject(record.s3)) throw new ObjectEventsError(`${field}.s3`, 'must be an object');
    const eventName = text(record.eventName, `${field}.eventName`);
    // Removals and the like say nothing about a late object.
    if (!eventName.replace(/^s3:/, '').startsWith('ObjectCreated:')) return;
    const s3 = record.s3;
    if (!isObject(s3.bucket) || !isObject(s3.object)) throw new ObjectEventsError(`${field}.s3.object`, 'bucket and object must be objects');
    created.push({
      bucket: text(s3.bucket.name, `${field}.s3.bucket.name`),
      key: decodedKey(text(s3.object.key, `${field}.s3.object.key`), `${field}.s3.object.key`),
    });
  });
  return created;
}

/** Amazon EventBridge's "Object Created" event: the key is not encoded there. */
function fromEventBridge(body: Record<string, unknown>): CreatedObject[] {
  if (body['detail-type'] !== 'Object Created') return [];
  const detail = body.detail;
  if (!isObject(detail) || !isObject(detail.bucket) || !isObject(detail.object)) throw new ObjectEventsError('detail', 'must hold bucket and object');
  return [{ bucket: text(detail.bucket.name, 'detail.bucket.name'), key: text(detail.object.key, 'detail.object.key') }];
}

/**
 * The objects an S3 event notification says were created: the S3/MinIO shape (`Records[]`, keys
 * URL-encoded; MinIO's webhook sends one record per request) or an EventBridge event (`detail`).
 * Other events (removals, test events) give nothing; a body of neither shape is refused.
 */
export function createdObjectsOf(body: unknown): CreatedObject[] {
  if (!isObject(body)) throw new ObjectEventsError('body', 'must be a JSON object');
  if (Array.isArray(body.Records)) return fromRecords(body.Records);
  if ('detail-type' in body) return fromEventBridge(body);
  // S3 sends { "Event": "s3:TestEvent" } once when notifications are configured.
  if (body.Event === 's3:TestEvent') return [];
  throw new ObjectEventsError('Records', 'must be an array of S3 event records (or the body an EventBridge event)');
}
