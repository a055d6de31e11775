import Redis from 'ioredis';
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

  it('refuses a port that is taken', async () => {
    await expect(RedisInstance.start(6379)).rejects.toThrow('port 6379 is already in use');
  });
});
