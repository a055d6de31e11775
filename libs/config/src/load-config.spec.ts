import { inspect } from 'node:util';
import { ConfigError } from './config-error';
import { loadConfig, regionEnvPrefix } from './load-config';

const valid = {
  LAKEMIRROR_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lakemirror',
  LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: 'http://127.0.0.1:8100',
  LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID: 'AKIASOURCE',
  LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY: 'source-secret-value',
  LAKEMIRROR_REGIONS: 'eu-west-1',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_ENDPOINT: 'https://lakefs.eu.example.com',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_ACCESS_KEY_ID: 'AKIAEU',
  LAKEMIRROR_REGION_EU_WEST_1_LAKEFS_SECRET_ACCESS_KEY: 'eu-secret-value',
  LAKEMIRROR_REGION_EU_WEST_1_S3_ENDPOINT: 'http://127.0.0.1:9200',
  LAKEMIRROR_REGION_EU_WEST_1_S3_ACCESS_KEY_ID: 'minio',
  LAKEMIRROR_REGION_EU_WEST_1_S3_SECRET_ACCESS_KEY: 'minio-secret-value',
  LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: 's3://bucket-b/mirrors/',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads the source, the regions and the defaults', () => {
    const config = loadConfig(valid);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.logLevel).toBe('info');
    expect(config.source.lakefs).toMatchObject({ endpoint: 'http://127.0.0.1:8100', accessKeyId: 'AKIASOURCE' });
    expect(config.source.lakefs.secretAccessKey.reveal()).toBe('source-secret-value');
    expect(config.regions).toHaveLength(1);
    const [region] = config.regions;
    expect(region.name).toBe('eu-west-1');
    expect(region.objectStore).toMatchObject({ endpoint: 'http://127.0.0.1:9200', forcePathStyle: true, region: 'us-east-1' });
    expect(region.objectStore.credentials?.secretAccessKey.reveal()).toBe('minio-secret-value');
  });

  it('names every missing setting at once', () => {
    const problems = problemsOf({});
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('LAKEMIRROR_DATABASE_URL is not set'),
        expect.stringContaining('LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT is not set'),
        expect.stringContaining('LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID is not set'),
        expect.stringContaining('LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY is not set'),
        expect.stringContaining('LAKEMIRROR_REGIONS is not set'),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects wrong values with the setting and the reason', () => {
    const problems = problemsOf({
      ...valid,
      LAKEMIRROR_REDIS_URL: 'http://127.0.0.1:6379',
      LAKEMIRROR_LOG_LEVEL: 'loud',
      LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: 'not a url',
      LAKEMIRROR_REGIONS: 'eu-west-1,Bad_Region,eu-west-1',
      LAKEMIRROR_REGION_EU_WEST_1_S3_FORCE_PATH_STYLE: 'maybe',
    });
    expect(problems).toEqual([
      'LAKEMIRROR_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, got "loud"',
      'LAKEMIRROR_REDIS_URL must use redis: or rediss: (Redis for the job queues), got http:',
      'LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT is not a valid URL (source lakeFS URL)',
      'LAKEMIRROR_REGION_EU_WEST_1_S3_FORCE_PATH_STYLE must be true or false, got "maybe"',
      'LAKEMIRROR_REGIONS: "Bad_Region" is not a valid region name (lowercase letters, digits and dashes)',
      'LAKEMIRROR_REGIONS: region "eu-west-1" is listed twice',
    ]);
  });

  it('asks for a region S3 secret when its access key is given', () => {
    const { LAKEMIRROR_REGION_EU_WEST_1_S3_SECRET_ACCESS_KEY: _, ...env } = valid;
    expect(problemsOf(env)).toEqual([expect.stringContaining('LAKEMIRROR_REGION_EU_WEST_1_S3_SECRET_ACCESS_KEY is not set')]);
  });

  it('never shows secret values when the configuration is printed', () => {
    const config = loadConfig(valid);
    const printed = JSON.stringify(config) + inspect(config, { depth: 10 }) + String(config.source.lakefs.secretAccessKey);
    for (const secret of ['source-secret-value', 'eu-secret-value', 'minio-secret-value']) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain('[redacted]');
  });

  it('never puts secret values in its errors', () => {
    const problems = problemsOf({ ...valid, LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT: 'ftp://source-secret-value' });
    expect(problems.join(' ')).not.toContain('source-secret-value');
  });

  it("reads each region's storage namespace roots", () => {
    const config = loadConfig({ ...valid, LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: ' s3://bucket-b/mirrors/ , s3://other ,' });
    expect(config.regions[0].storageNamespaces).toEqual([
      { bucket: 'bucket-b', prefix: 'mirrors' },
      { bucket: 'other', prefix: '' },
    ]);
  });

  it('requires storage namespace roots for every region and says what to set', () => {
    const { LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: _, ...env } = valid;
    expect(problemsOf(env)).toEqual([
      'LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES is not set (comma-separated storage namespaces under which mirrors in region eu-west-1 may be created, e.g. s3://my-bucket/mirrors/)',
    ]);
    expect(problemsOf({ ...valid, LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: ' , ' })).toEqual([
      'LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES names no storage namespace (expected e.g. s3://my-bucket/mirrors/)',
    ]);
  });

  it('names each wrong storage namespace root with the reason', () => {
    const problems = problemsOf({
      ...valid,
      LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES: 's3://bucket-b/mirrors/,gs://bucket-b/x,s3://bucket-b/a/../b,s3://Bad_Bucket/,s3://bucket-b//x',
    });
    const name = 'LAKEMIRROR_REGION_EU_WEST_1_STORAGE_NAMESPACES';
    expect(problems).toEqual([
      `${name}: "gs://bucket-b/x" is not a storage namespace (s3://bucket/prefix/): it must start with s3://`,
      `${name}: "s3://bucket-b/a/../b" is not a storage namespace (s3://bucket/prefix/): the prefix has an empty, "." or ".." segment`,
      `${name}: "s3://Bad_Bucket/" is not a storage namespace (s3://bucket/prefix/): "Bad_Bucket" is not a valid bucket name`,
      `${name}: "s3://bucket-b//x" is not a storage namespace (s3://bucket/prefix/): the prefix has an empty, "." or ".." segment`,
    ]);
  });

  it('derives region variable prefixes from region names', () => {
    expect(regionEnvPrefix('us-east-1')).toBe('LAKEMIRROR_REGION_US_EAST_1_');
  });
});
