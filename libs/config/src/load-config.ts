import { ConfigError } from './config-error';
import { readDatabaseSettings, readRedisSettings } from './connection-settings';
import type { LakefsConfig, LakemirrorConfig, ObjectStoreConfig, RegionConfig } from './config.types';
import { EnvReader } from './env-reader';
import { InvalidStorageNamespaceError, StorageNamespace, parseStorageNamespace } from './storage-namespace';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const REGION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Environment-variable prefix of one region's settings: "eu-west-1" → "LAKEMIRROR_REGION_EU_WEST_1_". */
export function regionEnvPrefix(region: string): string {
  return `LAKEMIRROR_REGION_${region.toUpperCase().replace(/-/g, '_')}_`;
}

function readLakefs(env: EnvReader, prefix: string, what: string): LakefsConfig {
  return {
    endpoint: env.url(`${prefix}LAKEFS_ENDPOINT`, `${what} lakeFS URL`, ['http:', 'https:']),
    accessKeyId: env.required(`${prefix}LAKEFS_ACCESS_KEY_ID`, `${what} lakeFS access key ID`),
    secretAccessKey: env.secret(`${prefix}LAKEFS_SECRET_ACCESS_KEY`, `${what} lakeFS secret access key`),
  };
}

function readObjectStore(env: EnvReader, prefix: string, what: string): ObjectStoreConfig {
  const endpoint = env.optional(`${prefix}S3_ENDPOINT`);
  if (endpoint !== undefined) env.url(`${prefix}S3_ENDPOINT`, `${what} S3 endpoint`, ['http:', 'https:']);
  const accessKeyId = env.optional(`${prefix}S3_ACCESS_KEY_ID`);
  const store: ObjectStoreConfig = {
    endpoint,
    region: env.optional(`${prefix}S3_REGION`) ?? 'us-east-1',
    forcePathStyle: env.boolean(`${prefix}S3_FORCE_PATH_STYLE`, endpoint !== undefined),
  };
  if (accessKeyId !== undefined) {
    store.credentials = {
      accessKeyId,
      secretAccessKey: env.secret(`${prefix}S3_SECRET_ACCESS_KEY`, `${what} S3 secret key (set with ${prefix}S3_ACCESS_KEY_ID)`),
    };
  }
  return store;
}

/** Required: with no roots a mirror could claim any bucket the region's lakeFS can write to. */
function readStorageNamespaceRoots(env: EnvReader, prefix: string, region: string): StorageNamespace[] {
  const name = `${prefix}STORAGE_NAMESPACES`;
  const value = env.required(name, `comma-separated storage namespaces under which mirrors in region ${region} may be created, e.g. s3://my-bucket/mirrors/`);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (value !== '' && entries.length === 0) env.problems.push(`${name} names no storage namespace (expected e.g. s3://my-bucket/mirrors/)`);
  const roots: StorageNamespace[] = [];
  for (const root of entries) {
    try {
      roots.push(parseStorageNamespace(root));
    } catch (error) {
      if (!(error instanceof InvalidStorageNamespaceError)) throw error;
      env.problems.push(`${name}: "${root}" is not a storage namespace (s3://bucket/prefix/): ${error.reason}`);
    }
  }
  return roots;
}

function readIdentifier(env: EnvReader, name: string, rule: string, pattern: RegExp): string | undefined {
  const value = env.optional(name);
  if (value !== undefined && !pattern.test(value)) env.problems.push(`${name} must be ${rule}, got "${value}"`);
  return value;
}

function readRegions(env: EnvReader): RegionConfig[] {
  const names = (env.required('LAKEMIRROR_REGIONS', 'comma-separated names of the mirror regions') || '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  const regions: RegionConfig[] = [];
  for (const name of names) {
    if (!REGION_NAME.test(name)) {
      env.problems.push(`LAKEMIRROR_REGIONS: "${name}" is not a valid region name (lowercase letters, digits and dashes)`);
      continue;
    }
    if (seen.has(name)) {
      env.problems.push(`LAKEMIRROR_REGIONS: region "${name}" is listed twice`);
      continue;
    }
    seen.add(name);
    const prefix = regionEnvPrefix(name);
    regions.push({
      name,
      lakefs: readLakefs(env, prefix, `region ${name}`),
      objectStore: readObjectStore(env, prefix, `region ${name}`),
      storageNamespaces: readStorageNamespaceRoots(env, prefix, name),
    });
  }
  return regions;
}

/**
 * Reads and validates lakemirror's settings from the environment.
 * @throws ConfigError naming every missing or wrong setting, never their secret values.
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): LakemirrorConfig {
  const env = new EnvReader(environment);
  const config: LakemirrorConfig = {
    logLevel: env.oneOf('LAKEMIRROR_LOG_LEVEL', LOG_LEVELS, 'info'),
    ...readRedisSettings(env),
    ...readDatabaseSettings(env),
    databaseSchema: readIdentifier(env, 'LAKEMIRROR_DATABASE_SCHEMA', 'a lowercase PostgreSQL identifier', /^[a-z_][a-z0-9_]{0,62}$/),
    queuePrefix: readIdentifier(env, 'LAKEMIRROR_QUEUE_PREFIX', 'letters, digits, "_" and "-"', /^[A-Za-z0-9_-]{1,64}$/) ?? 'lakemirror',
    source: {
      lakefs: readLakefs(env, 'LAKEMIRROR_SOURCE_', 'source'),
      objectStore: readObjectStore(env, 'LAKEMIRROR_SOURCE_', 'source'),
    },
    regions: readRegions(env),
  };
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return config;
}
