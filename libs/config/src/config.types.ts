import type { Secret } from './secret';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: Secret;
}

export interface ObjectStoreConfig {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: S3Credentials;
}

export interface LakefsConfig {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: Secret;
}

/** A region that can hold mirrors: its lakeFS installation and its object store. */
export interface RegionConfig {
  name: string;
  lakefs: LakefsConfig;
  objectStore: ObjectStoreConfig;
}

export interface LakemirrorConfig {
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  redisUrl: string;
  databaseUrl: string;
  /** PostgreSQL schema holding lakemirror's tables (default: the connection's search path). */
  databaseSchema?: string;
  /** Redis key prefix of the pipeline's queues (tests use their own to stay apart). */
  queuePrefix: string;
  /** The lakeFS installation this deployment sits beside: the source of every mirror. */
  source: { lakefs: LakefsConfig; objectStore: ObjectStoreConfig };
  regions: RegionConfig[];
}
