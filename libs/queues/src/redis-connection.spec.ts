import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { redisAddress, redisConnectionOptions } from './redis-connection';

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

  it('reads the CA, client certificate and key for rediss://, and never turns verification off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-redis-tls-'));
    try {
      const files = { caFile: path.join(dir, 'ca.crt'), certFile: path.join(dir, 'client.crt'), keyFile: path.join(dir, 'client.key') };
      writeFileSync(files.caFile, 'CA PEM');
      writeFileSync(files.certFile, 'CERT PEM');
      writeFileSync(files.keyFile, 'KEY PEM');
      const { tls } = redisConnectionOptions('rediss://u:p@redis.example:6380/0', files);
      expect(tls).toEqual({ ca: Buffer.from('CA PEM'), cert: Buffer.from('CERT PEM'), key: Buffer.from('KEY PEM') });
      expect(tls).not.toHaveProperty('rejectUnauthorized');
      expect(redisConnectionOptions('redis://redis.example:6379', files).tls).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redisAddress', () => {
  it('names the server and the user, never the password', () => {
    expect(redisAddress(redisConnectionOptions('rediss://queue-user:s3cret@redis.example:6380/1'))).toBe('rediss://queue-user@redis.example:6380/1');
    expect(redisAddress(redisConnectionOptions('redis://:s3cret@[::1]:6379'))).toBe('redis://[::1]:6379/0');
  });
});
