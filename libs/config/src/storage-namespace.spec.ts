import { InvalidStorageNamespaceError, formatStorageNamespace, parseStorageNamespace } from './storage-namespace';

describe('parseStorageNamespace', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { bucket: 'bucket', prefix: '' }],
    ['s3://my-bucket.eu/repos/sales', { bucket: 'my-bucket.eu', prefix: 'repos/sales' }],
    ['s3://my-bucket/repos/sales/', { bucket: 'my-bucket', prefix: 'repos/sales' }],
  ])('parses %s', (namespace, expected) => {
    expect(parseStorageNamespace(namespace)).toEqual(expected);
  });

  it.each([
    ['', 'it is empty'],
    ['gs://bucket/x', 'it must start with s3://'],
    ['/local/path', 'it must start with s3://'],
    ['s3:/bucket', 'it must start with s3://'],
    ['s3://', '"" is not a valid bucket name'],
    ['s3://Upper/x', '"Upper" is not a valid bucket name'],
    ['s3://ab/x', '"ab" is not a valid bucket name'],
    ['s3://a..b/x', '"a..b" is not a valid bucket name'],
    ['s3://192.168.1.1/x', '"192.168.1.1" is not a valid bucket name'],
    ['s3://bucket/a//b', 'the prefix has an empty, "." or ".." segment'],
    ['s3://bucket/../other', 'the prefix has an empty, "." or ".." segment'],
    ['s3://bucket/a/./b', 'the prefix has an empty, "." or ".." segment'],
    ['s3://bucket/a\\b', 'the prefix has control characters or backslashes'],
    ['s3://bucket/a\nb', 'the prefix has control characters or backslashes'],
    [`s3://bucket/${'x'.repeat(1100)}`, 'it is longer than 1024 characters'],
  ])('rejects %j: %s', (namespace, reason) => {
    const attempt = () => parseStorageNamespace(namespace);
    expect(attempt).toThrow(InvalidStorageNamespaceError);
    expect(attempt).toThrow(reason);
  });

  it('formats back to the canonical form', () => {
    expect(formatStorageNamespace(parseStorageNamespace('s3://b-1/x/y/'))).toBe('s3://b-1/x/y');
    expect(formatStorageNamespace(parseStorageNamespace('s3://b-1'))).toBe('s3://b-1');
  });
});
