import { testEnvironment, testRegion } from './test-environment';

// What scripts/env-up.sh writes to .lakemirror/env, reduced to what testEnvironment() reads.
const local = {
  LAKEMIRROR_DATABASE_URL: 'postgres://lakemirror@127.0.0.1:5432/lakemirror',
  LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: 'http://127.0.0.1:8100',
  LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID: 'source-key',
  LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY: 'source-secret',
  LAKEMIRROR_SOURCE_S3_ENDPOINT: 'http://127.0.0.1:9100',
  LAKEMIRROR_SOURCE_BUCKET: 'bucket-a',
  LAKEMIRROR_REGIONS: 'region-b',
  LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT: 'http://127.0.0.1:8200',
  LAKEMIRROR_REGION_REGION_B_LAKEFS_ACCESS_KEY_ID: 'destination-key',
  LAKEMIRROR_REGION_REGION_B_LAKEFS_SECRET_ACCESS_KEY: 'destination-secret',
  LAKEMIRROR_REGION_REGION_B_S3_ENDPOINT: 'http://127.0.0.1:9200',
  LAKEMIRROR_REGION_REGION_B_BUCKET: 'bucket-b',
  LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES: 's3://bucket-b/mirrors/',
};

describe('testEnvironment', () => {
  it('builds lakeFS and S3 clients for the source and for region B from the configuration', async () => {
    const env = testEnvironment(local);
    expect(env.source.lakefs.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:8100\b/);
    expect(env.regionB.lakefs.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:8200\b/);
    expect(env.regionB.config.name).toBe('region-b');
    expect([env.source.bucket, env.regionB.bucket]).toEqual(['bucket-a', 'bucket-b']);
    const ports = await Promise.all([env.source.s3, env.regionB.s3].map(async (s3) => (await s3.config.endpoint?.())?.port));
    expect(ports).toEqual([9100, 9200]);
  });

  it('refuses an environment without region B', () => {
    const regionC = {
      LAKEMIRROR_REGIONS: 'region-c',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_ENDPOINT: 'http://127.0.0.1:8300',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_ACCESS_KEY_ID: 'region-c-key',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_SECRET_ACCESS_KEY: 'region-c-secret',
      LAKEMIRROR_REGION_REGION_C_STORAGE_NAMESPACES: 's3://bucket-c/mirrors/',
    };
    expect(() => testEnvironment({ ...local, ...regionC })).toThrow('region-b is not configured: run scripts/env-up.sh');
  });

  it('builds the clients of another region, such as region C, with its bucket', async () => {
    const withRegionC = {
      ...local,
      LAKEMIRROR_REGIONS: 'region-b,region-c',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_ENDPOINT: 'http://127.0.0.1:8300',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_ACCESS_KEY_ID: 'region-c-key',
      LAKEMIRROR_REGION_REGION_C_LAKEFS_SECRET_ACCESS_KEY: 'region-c-secret',
      LAKEMIRROR_REGION_REGION_C_S3_ENDPOINT: 'http://127.0.0.1:9300',
      LAKEMIRROR_REGION_REGION_C_BUCKET: 'bucket-c',
      LAKEMIRROR_REGION_REGION_C_STORAGE_NAMESPACES: 's3://bucket-c/mirrors/',
    };
    const regionC = testRegion('region-c', withRegionC);
    expect(regionC.config.name).toBe('region-c');
    expect(regionC.lakefs.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:8300\b/);
    expect((await regionC.s3.config.endpoint?.())?.port).toBe(9300);
    expect(regionC.bucket).toBe('bucket-c');
    expect(() => testRegion('region-c', local)).toThrow('region-c is not configured: run scripts/env-up.sh');
    expect(() => testRegion('region-c', { ...withRegionC, LAKEMIRROR_REGION_REGION_C_BUCKET: undefined })).toThrow(
      'LAKEMIRROR_REGION_REGION_C_BUCKET is not set: run scripts/env-up.sh',
    );
  });

  it('names a missing bucket variable', () => {
    expect(() => testEnvironment({ ...local, LAKEMIRROR_REGION_REGION_B_BUCKET: undefined })).toThrow(
      'LAKEMIRROR_REGION_REGION_B_BUCKET is not set: run scripts/env-up.sh',
    );
  });
});
