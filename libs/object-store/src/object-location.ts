import type { StorageNamespace } from './storage-namespace';

/** Where an object lives in an object store. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

function join(prefix: string, relative: string): string {
  return prefix ? `${prefix}/${relative}` : relative;
}

/**
 * The key of an object with a relative address (as lakeFS stores it in an entry, e.g.
 * "data/gabc/xyz") inside a namespace. Replication keeps keys, so the same relative address
 * in the mirror namespace is where the replicated copy lands.
 */
export function objectInNamespace(namespace: StorageNamespace, relativeAddress: string): ObjectLocation {
  if (relativeAddress.startsWith('/') || relativeAddress.split('/').includes('..')) {
    throw new Error(`relative address "${relativeAddress}" escapes its namespace`);
  }
  return { bucket: namespace.bucket, key: join(namespace.prefix, relativeAddress) };
}

/** The metarange or range file `id` that lakeFS writes under <namespace>/_lakefs/. */
export function lakefsMetadataObject(namespace: StorageNamespace, id: string): ObjectLocation {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`"${id}" is not a lakeFS metadata file ID`);
  return objectInNamespace(namespace, `_lakefs/${id}`);
}

/**
 * The relative address of a full physical address (s3://bucket/key) that lies inside `namespace`,
 * or undefined when it lies outside (imported data, which namespace replication does not carry).
 */
export function relativeAddressIn(namespace: StorageNamespace, physicalAddress: string): string | undefined {
  const base = `s3://${join(namespace.bucket, namespace.prefix)}/`;
  return physicalAddress.startsWith(base) ? physicalAddress.slice(base.length) : undefined;
}
