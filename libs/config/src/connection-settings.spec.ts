import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from './config-error';
import { readDatabaseSettings, readRedisSettings } from './connection-settings';
import { EnvReader } from './env-reader';

describe('connection settings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-config-'));
  const ca = path.join(dir, 'ca.crt');
  const cert = path.join(dir, 'client.crt');
  const key = path.join(dir, 'client.key');
  for (const file of [ca, cert, key]) writeFileSync(file, 'PEM');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = <T>(settings: (env: EnvReader) => T, values: Record<string, string>) => {
    const env = new EnvReader(values);
    return { settings: settings(env), problems: env.problems };
  };

  describe('PostgreSQL', () => {
    it('reads sslmode from the URL (default disable) and the TLS files from their settings', () => {
      expect(read(readDatabaseSettings, { LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x' }).settings.databaseTls).toEqual({ sslmode: 'disable' });
      const { settings, problems } = read(readDatabaseSettings, {
        LAKEMIRROR_DATABASE_URL: 'postgres://u:pw@db/x?sslmode=verify-full',
        LAKEMIRROR_DATABASE_TLS_CA_FILE: ca,
        LAKEMIRROR_DATABASE_TLS_CERT_FILE: cert,
        LAKEMIRROR_DATABASE_TLS_KEY_FILE: key,
      });
      expect(problems).toEqual([]);
      expect(settings).toEqual({
        databaseUrl: 'postgres://u:pw@db/x?sslmode=verify-full',
        databaseTls: { sslmode: 'verify-full', caFile: ca, certFile: cert, keyFile: key },
      });
    });

    it.each([
      [{ LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?sslmode=prefer' }, 'sslmode must be one of disable, require, verify-ca, verify-full, got "prefer"'],
      [{ LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?sslmode=require&sslrootcert=/ca.pem' }, 'the "sslrootcert" parameter is not supported'],
      [{ LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?ssl=true' }, 'the "ssl" parameter is not supported'],
      [{ LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x', LAKEMIRROR_DATABASE_TLS_CA_FILE: ca }, 'has no sslmode (add sslmode=verify-full)'],
      [{ LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?sslmode=require', LAKEMIRROR_DATABASE_TLS_CA_FILE: ca }, 'use sslmode=verify-ca or verify-full'],
      [
        { LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?sslmode=verify-ca', LAKEMIRROR_DATABASE_TLS_CERT_FILE: cert },
        '_CERT_FILE and LAKEMIRROR_DATABASE_TLS_KEY_FILE go together',
      ],
      [
        { LAKEMIRROR_DATABASE_URL: 'postgres://u@db/x?sslmode=verify-ca', LAKEMIRROR_DATABASE_TLS_CA_FILE: path.join(dir, 'none.crt') },
        `LAKEMIRROR_DATABASE_TLS_CA_FILE must name a readable file`,
      ],
    ])('refuses %j', (values, problem) => {
      const { problems } = read(readDatabaseSettings, values);
      expect(problems).toEqual([expect.stringContaining(problem)]);
    });
  });

  describe('Redis', () => {
    it('takes TLS files for a rediss:// URL', () => {
      const { settings, problems } = read(readRedisSettings, { LAKEMIRROR_REDIS_URL: 'rediss://u:pw@cache:6380/0', LAKEMIRROR_REDIS_TLS_CA_FILE: ca });
      expect(problems).toEqual([]);
      expect(settings).toEqual({ redisUrl: 'rediss://u:pw@cache:6380/0', redisTls: { caFile: ca } });
    });

    it('refuses TLS files with a plain redis:// URL', () => {
      expect(read(readRedisSettings, { LAKEMIRROR_REDIS_URL: 'redis://cache:6379', LAKEMIRROR_REDIS_TLS_CA_FILE: ca }).problems).toEqual([
        'LAKEMIRROR_REDIS_TLS_* files are set, but LAKEMIRROR_REDIS_URL does not use TLS (use rediss://)',
      ]);
    });
  });

  it('never prints a URL password in a configuration error', () => {
    const { problems } = read(readDatabaseSettings, { LAKEMIRROR_DATABASE_URL: 'postgres://u:Distinctive-Pw@db/x?sslmode=verify-ca&ssl=1' });
    const error = new ConfigError([...problems, 'LAKEMIRROR_X: got "redis://u:Distinctive-Pw@cache"']);
    expect(error.message).not.toContain('Distinctive-Pw');
    expect(error.message).toContain('redis://u:***@cache');
  });
});
