import { Redis, RedisOptions } from 'ioredis';
import { redisAddress } from './redis-connection';

export class RedisEvictionPolicyError extends Error {
  readonly code = 'REDIS_EVICTION_POLICY';

  constructor(readonly policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", but the job queues need "noeviction" (Redis would otherwise drop queued jobs under memory pressure); ` +
        'set it with: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf)',
    );
    this.name = 'RedisEvictionPolicyError';
  }
}

/** The server's maxmemory-policy, read from INFO (which managed Redis allows where CONFIG GET is disabled). */
export async function maxmemoryPolicy(redis: Redis): Promise<string> {
  const info = await redis.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  if (!match) throw new Error('Redis INFO memory did not report maxmemory_policy');
  return match[1];
}

/** Refuses a Redis that may evict keys: BullMQ's queues would lose jobs silently. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const policy = await maxmemoryPolicy(redis);
  if (policy !== 'noeviction') throw new RedisEvictionPolicyError(policy);
}

export class RedisUnreachableError extends Error {
  readonly code = 'REDIS_UNREACHABLE';

  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`could not connect to Redis at ${address}: ${reason}`);
    this.name = 'RedisUnreachableError';
  }
}

/**
 * Connects once with `options`, refuses a Redis that may evict keys, and disconnects. Run before
 * any queue connects, so that a wrong Redis stops a process with one line (naming the server,
 * never the password) and no job touched.
 */
export async function assertRedisKeepsJobs(options: RedisOptions): Promise<void> {
  const redis = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
  // The cause (refused, TLS, authentication) comes as an 'error' event; connect() then only says "Connection is closed".
  let cause: unknown;
  redis.on('error', (error) => (cause = error));
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      const reason = cause ?? error;
      throw new RedisUnreachableError(redisAddress(options), reason instanceof Error ? reason.message : String(reason));
    }
    await assertNoEviction(redis);
  } finally {
    redis.disconnect();
  }
}
