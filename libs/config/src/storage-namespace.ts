/** A storage namespace such as s3://bucket/some/prefix: where a lakeFS repository keeps its objects. */
export interface StorageNamespace {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the whole bucket. */
  prefix: string;
}

export class InvalidStorageNamespaceError extends Error {
  readonly code = 'INVALID_STORAGE_NAMESPACE';

  constructor(
    readonly namespace: string,
    readonly reason: string,
  ) {
    super(`invalid storage namespace ${JSON.stringify(namespace)}: ${reason}`);
    this.name = 'InvalidStorageNamespaceError';
  }
}

// S3 bucket naming rules (lowercase letters, digits, dots, dashes; 3-63 chars; no IP form).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * Parses and validates an `s3://bucket/prefix` namespace.
 * @throws InvalidStorageNamespaceError saying what is wrong.
 */
export function parseStorageNamespace(namespace: string): StorageNamespace {
  const fail = (reason: string) => new InvalidStorageNamespaceError(namespace, reason);
  if (typeof namespace !== 'string' || namespace.length === 0) throw fail('it is empty');
  if (namespace.length > 1024) throw fail('it is longer than 1024 characters');
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(namespace);
  if (!match) throw fail('it must start with s3://');
  const [, bucket, rest = ''] = match;
  if (!BUCKET.test(bucket) || bucket.includes('..') || IP_ADDRESS.test(bucket)) {
    throw fail(`"${bucket}" is not a valid bucket name`);
  }
  const prefix = rest.replace(/\/+$/, '');
  const segments = prefix === '' ? [] : prefix.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw fail('the prefix has an empty, "." or ".." segment');
  }
  const hasControl = [...prefix].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (hasControl || prefix.includes('\\')) throw fail('the prefix has control characters or backslashes');
  return { bucket, prefix };
}

export function formatStorageNamespace(namespace: StorageNamespace): string {
  return namespace.prefix ? `s3://${namespace.bucket}/${namespace.prefix}` : `s3://${namespace.bucket}`;
}
