import type { Secret } from './secret';
import type { StorageNamespace } from './storage-namespace';

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
  /** The namespace roots a mirror in this region may use: its storage namespace must equal or lie below one. */
  storageNamespaces: StorageNamespace[];
}

/** PEM files of a TLS connection: the CA that signed the server's certificate, and a client certificate with its key. */
export interface TlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * PostgreSQL TLS, named after libpq's sslmode with lakemirror's own, explicit semantics (README
 * "TLS"): disable (plain), require (encrypted, certificate not checked), verify-ca (the chain is
 * checked), verify-full (the chain and the host name are checked).
 */
export type DatabaseSslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface DatabaseTls extends TlsFiles {
  sslmode: DatabaseSslMode;
}

export interface LakemirrorConfig {
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Printable only through redactUrl (it may hold a password). */
  redisUrl: string;
  /** Files for a rediss:// URL (unset: Node's trusted CAs, no client certificate). */
  redisTls: TlsFiles;
  /** Printable only through redactUrl (it may hold a password). */
  databaseUrl: string;
  /** From the URL's sslmode and LAKEMIRROR_DATABASE_TLS_* files. */
  databaseTls: DatabaseTls;
  /** PostgreSQL schema holding lakemirror's tables (default: the connection's search path). */
  databaseSchema?: string;
  /** Redis key prefix of the pipeline's queues (tests use their own to stay apart). */
  queuePrefix: string;
  /** The lakeFS installation this deployment sits beside: the source of every mirror. */
  source: { lakefs: LakefsConfig; objectStore: ObjectStoreConfig };
  regions: RegionConfig[];
}
