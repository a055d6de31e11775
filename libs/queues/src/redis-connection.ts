import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for BullMQ from a redis:// or rediss:// URL (user, password, database number,
 * TLS). Each BullMQ queue and worker opens and closes its own connection from these.
 */
export function redisConnectionOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: database ? Number(database) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's workers block on Redis: a request must wait for a reconnect rather than fail.
    maxRetriesPerRequest: null,
  };
}
