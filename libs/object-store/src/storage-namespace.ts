import type { ObjectStoreConfig, StorageNamespace } from '@lakemirror/config';

// The grammar lives in @lakemirror/config, which validates the namespace roots of every region at start-up.
export { InvalidStorageNamespaceError, formatStorageNamespace, parseStorageNamespace } from '@lakemirror/config';
export type { StorageNamespace } from '@lakemirror/config';

function segmentsOf(namespace: StorageNamespace): string[] {
  return namespace.prefix === '' ? [] : namespace.prefix.split('/');
}

/**
 * Whether `inner` is `outer` or lies below it: same bucket, and `outer`'s path segments begin
 * `inner`'s (so s3://b/mirrors-evil is not inside s3://b/mirrors).
 */
export function isWithinNamespace(inner: StorageNamespace, outer: StorageNamespace): boolean {
  if (inner.bucket !== outer.bucket) return false;
  const innerSegments = segmentsOf(inner);
  const outerSegments = segmentsOf(outer);
  return outerSegments.length <= innerSegments.length && outerSegments.every((segment, i) => segment === innerSegments[i]);
}

/** Whether two namespaces share any key: one equals or contains the other. */
export function namespacesOverlap(a: StorageNamespace, b: StorageNamespace): boolean {
  return isWithinNamespace(a, b) || isWithinNamespace(b, a);
}

/**
 * Whether two object store settings reach the same buckets: the same endpoint, or both AWS S3
 * (no endpoint), whose bucket names are global across its regions.
 */
export function isSameObjectStore(a: Pick<ObjectStoreConfig, 'endpoint'>, b: Pick<ObjectStoreConfig, 'endpoint'>): boolean {
  return endpointIdentity(a.endpoint) === endpointIdentity(b.endpoint);
}

function endpointIdentity(endpoint: string | undefined): string {
  if (endpoint === undefined) return 'aws';
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return endpoint;
  }
}
