import { lakefsMetadataObject, objectInNamespace, relativeAddressIn } from './object-location';
import { parseStorageNamespace } from './storage-namespace';

describe('object locations', () => {
  const source = parseStorageNamespace('s3://region-a/repos/sales');
  const mirror = parseStorageNamespace('s3://region-b/repos/sales');

  it('maps a relative address of the source to the same key under the mirror namespace', () => {
    expect(objectInNamespace(mirror, 'data/gabc/xyz')).toEqual({ bucket: 'region-b', key: 'repos/sales/data/gabc/xyz' });
    expect(objectInNamespace(parseStorageNamespace('s3://whole'), 'data/x')).toEqual({ bucket: 'whole', key: 'data/x' });
  });

  it('refuses addresses that would leave the namespace', () => {
    expect(() => objectInNamespace(mirror, '../other/x')).toThrow('escapes its namespace');
    expect(() => objectInNamespace(mirror, '/abs')).toThrow('escapes its namespace');
  });

  it('places lakeFS metadata files under _lakefs/', () => {
    expect(lakefsMetadataObject(mirror, 'a1b2c3')).toEqual({ bucket: 'region-b', key: 'repos/sales/_lakefs/a1b2c3' });
    expect(() => lakefsMetadataObject(mirror, '../x')).toThrow('is not a lakeFS metadata file ID');
  });

  it('finds the relative address of a physical address inside the namespace, and only inside', () => {
    expect(relativeAddressIn(source, 's3://region-a/repos/sales/data/g1/o1')).toBe('data/g1/o1');
    expect(relativeAddressIn(source, 's3://region-a/repos/sales-other/data/g1/o1')).toBeUndefined();
    expect(relativeAddressIn(source, 's3://imports/raw/file.csv')).toBeUndefined();
  });
});
