import { redisConnectionOptions } from './redis-connection';

describe('redisConnectionOptions', () => {
  it('reads host, port and database, with Redis defaults', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6390/3')).toMatchObject({
      host: '127.0.0.1',
      port: 6390,
      db: 3,
      tls: undefined,
      maxRetriesPerRequest: null,
    });
    expect(redisConnectionOptions('redis://cache')).toMatchObject({ host: 'cache', port: 6379, db: 0 });
  });

  it('decodes credentials and turns TLS on for rediss://', () => {
    const options = redisConnectionOptions('rediss://queue-user:p%40ss%3Aword@redis.example:6380/1');
    expect(options).toMatchObject({ username: 'queue-user', password: 'p@ss:word', host: 'redis.example', port: 6380, db: 1, tls: {} });
  });

  it('takes IPv6 hosts without brackets', () => {
    expect(redisConnectionOptions('redis://[::1]:6379').host).toBe('::1');
  });
});
