import { isSameObjectStore, isWithinNamespace, namespacesOverlap, parseStorageNamespace } from './storage-namespace';

const ns = parseStorageNamespace;

describe('isWithinNamespace', () => {
  it.each([
    ['s3://bucket-b/mirrors/sales', 's3://bucket-b/mirrors/'],
    ['s3://bucket-b/mirrors/sales/eu', 's3://bucket-b/mirrors'],
    ['s3://bucket-b/mirrors', 's3://bucket-b/mirrors/'],
    ['s3://bucket-b/anything/at/all', 's3://bucket-b'],
    ['s3://bucket-b', 's3://bucket-b/'],
  ])('%s is within %s', (inner, outer) => {
    expect(isWithinNamespace(ns(inner), ns(outer))).toBe(true);
  });

  it.each([
    ['s3://bucket-b/mirrors-evil', 's3://bucket-b/mirrors/', 'a longer segment sharing a string prefix'],
    ['s3://bucket-b/mirrorsx/sales', 's3://bucket-b/mirrors', 'a longer first segment'],
    ['s3://bucket-b/other/mirrors/sales', 's3://bucket-b/mirrors', 'the root found further down'],
    ['s3://bucket-b/mirrors', 's3://bucket-b/mirrors/sales', 'a parent of the root'],
    ['s3://bucket-b', 's3://bucket-b/mirrors', 'the whole bucket'],
    ['s3://bucket-bb/mirrors/sales', 's3://bucket-b/mirrors', 'a bucket whose name starts like the root'],
    ['s3://other/mirrors/sales', 's3://bucket-b/mirrors', 'another bucket'],
  ])('%s is not within %s (%s)', (inner, outer) => {
    expect(isWithinNamespace(ns(inner), ns(outer))).toBe(false);
  });
});

describe('namespacesOverlap', () => {
  it('holds when one equals or contains the other, in either order', () => {
    expect(namespacesOverlap(ns('s3://b-1/m/sales'), ns('s3://b-1/m/sales/'))).toBe(true);
    expect(namespacesOverlap(ns('s3://b-1/m'), ns('s3://b-1/m/sales'))).toBe(true);
    expect(namespacesOverlap(ns('s3://b-1/m/sales'), ns('s3://b-1/m'))).toBe(true);
    expect(namespacesOverlap(ns('s3://b-1'), ns('s3://b-1/m/sales'))).toBe(true);
  });

  it('does not hold for siblings, look-alike prefixes or other buckets', () => {
    expect(namespacesOverlap(ns('s3://b-1/m/sales'), ns('s3://b-1/m/sales-eu'))).toBe(false);
    expect(namespacesOverlap(ns('s3://b-1/m/sales'), ns('s3://b-1/m/marketing'))).toBe(false);
    expect(namespacesOverlap(ns('s3://b-1/m/sales'), ns('s3://b-2/m/sales'))).toBe(false);
  });
});

describe('isSameObjectStore', () => {
  it('compares endpoints by protocol, host and path, and takes AWS S3 (no endpoint) as one store', () => {
    expect(isSameObjectStore({ endpoint: 'http://127.0.0.1:9200' }, { endpoint: 'http://127.0.0.1:9200/' })).toBe(true);
    expect(isSameObjectStore({ endpoint: 'http://MinIO:9000' }, { endpoint: 'http://minio:9000' })).toBe(true);
    expect(isSameObjectStore({}, {})).toBe(true);
    expect(isSameObjectStore({ endpoint: 'http://127.0.0.1:9100' }, { endpoint: 'http://127.0.0.1:9200' })).toBe(false);
    expect(isSameObjectStore({ endpoint: 'https://s3.example.com' }, {})).toBe(false);
  });
});
