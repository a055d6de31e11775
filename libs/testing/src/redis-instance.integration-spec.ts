import Redis from 'ioredis';
import { freePort } from './free-port';
import { RedisInstance } from './redis-instance';

describe('RedisInstance', () => {
  it('runs a Redis of its own that loses its data on restart, leaving the machine Redis alone', async () => {
    const machine = new Redis('redis://127.0.0.1:6379');
    const marker = `lakemirror-test-${process.pid}`;
    await machine.set(marker, 'kept', 'EX', 60);
    const instance = await RedisInstance.start(6391);
    const redis = new Redis(instance.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    try {
      await redis.set('k', 'v');
      expect(await redis.get('k')).toBe('v');
      await instance.restartEmpty(['--maxmemory-policy', 'allkeys-lru']);
      expect(await redis.get('k')).toBeNull();
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
      expect(await machine.get(marker)).toBe('kept');
    } finally {
      redis.disconnect();
      await instance.stop();
      await machine.del(marker);
      machine.disconnect();
    }
  });

  it('keeps its data across down({ keepData: true }) and up(), and loses it when killed', async () => {
    const instance = await RedisInstance.start(await freePort());
    const redis = new Redis(instance.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    try {
      await redis.set('k', 'kept');
      await instance.down({ keepData: true });
      await expect(redis.get('k')).rejects.toThrow();
      await instance.up();
      expect(await redis.get('k')).toBe('kept');
      await instance.down();
      await instance.up();
      expect(await redis.get('k')).toBeNull();
      await redis.set('k', 'saved');
      await instance.down({ keepData: true });
      await instance.restartEmpty();
      expect(await redis.get('k')).toBeNull();
    } finally {
      redis.disconnect();
      await instance.stop();
    }
  });

  it('refuses a port that is taken', async () => {
    await expect(RedisInstance.start(6379)).rejects.toThrow('port 6379 is already in use');
  });
});
