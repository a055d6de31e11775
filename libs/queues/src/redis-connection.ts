import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { TlsFiles } from '@lakemirror/config';
import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for BullMQ from a redis:// or rediss:// URL (user, password, database number,
 * TLS). Each BullMQ queue and worker opens and closes its own connection from these. For
 * rediss://, the server's certificate is always verified (with `tls.caFile`, or else Node's
 * trusted CAs), and `tls.certFile`/`keyFile` are presented when the server asks for a client certificate.
 */
export function redisConnectionOptions(url: string, tls: TlsFiles = {}): RedisOptions {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: database ? Number(database) : 0,
    tls: parsed.protocol === 'rediss:' ? redisTlsOptions(tls) : undefined,
    // BullMQ's workers block on Redis: a request must wait for a reconnect rather than fail.
    maxRetriesPerRequest: null,
  };
}

function redisTlsOptions(files: TlsFiles): ConnectionOptions {
  const options: ConnectionOptions = {};
  if (files.caFile) options.ca = readFileSync(files.caFile);
  if (files.certFile) options.cert = readFileSync(files.certFile);
  if (files.keyFile) options.key = readFileSync(files.keyFile);
  return options;
}

/** Where `options` connect, fit to print (no password): `rediss://queue-user@redis.example:6380/1`. */
export function redisAddress(options: RedisOptions): string {
  const user = options.username ? `${encodeURIComponent(options.username)}@` : '';
  const host = options.host?.includes(':') ? `[${options.host}]` : options.host;
  return `${options.tls ? 'rediss' : 'redis'}://${user}${host}:${options.port}/${options.db ?? 0}`;
}
