import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { migratedSchema } from '@lakemirror/test-environment';
import { RedisInstance, freePort, runAppExpectingExit, startAppProcess, uniqueName } from '@lakemirror/testing';

const root = path.resolve(__dirname, '../../..');

/** Runs a script of scripts/ with `env` over the test's environment; resolves with its exit code and output. */
async function runScript(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', [`scripts/${script}`], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

// Database and Redis URLs carry passwords: whatever an app or script prints (start-up errors,
// configuration errors, logs, readiness) names the server and the user, never the password.
describe('connection URLs with passwords', () => {
  const databasePassword = 'Pg-Distinct-Pw-3141';
  const redisPassword = 'Redis-Distinct-Pw-2718';
  let closedPort: number;
  const unreachableDatabase = () => `postgres://lakemirror:${databasePassword}@127.0.0.1:${closedPort}/lakemirror`;
  const unreachableRedis = () => `redis://queue:${redisPassword}@127.0.0.1:${closedPort}/0`;

  beforeAll(async () => {
    closedPort = await freePort();
  });

  it.each(['api', 'scanner', 'verifier', 'promoter'])('%s: a database it cannot reach stops it with one line naming the host', async (app) => {
    const { code, output } = await runAppExpectingExit(app, { LAKEMIRROR_DATABASE_URL: unreachableDatabase() });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `${app}: could not start: could not connect to PostgreSQL at postgres://lakemirror:***@127.0.0.1:${closedPort}/lakemirror (sslmode=disable): connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    );
    expect(output).not.toContain(databasePassword);
  });

  it('a Redis it cannot reach stops an app with one line naming the host, not the password', async () => {
    const { code, output } = await runAppExpectingExit('scanner', { LAKEMIRROR_REDIS_URL: unreachableRedis() });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `scanner: could not start: could not connect to Redis at redis://queue@127.0.0.1:${closedPort}/0: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    );
  });

  it('configuration errors about these URLs never show the password', async () => {
    const { code, output } = await runAppExpectingExit('verifier', {
      LAKEMIRROR_DATABASE_URL: `${unreachableDatabase()}?sslmode=prefer&password=${databasePassword}`,
      LAKEMIRROR_LOG_LEVEL: unreachableRedis(),
    });
    expect(code).toBe(1);
    expect(output).toContain('LAKEMIRROR_DATABASE_URL: sslmode must be one of disable, require, verify-ca, verify-full, got "prefer"');
    expect(output).toContain(`got "redis://queue:***@127.0.0.1:${closedPort}/0"`);
    expect(output).not.toContain(databasePassword);
    expect(output).not.toContain(redisPassword);
  });

  it('scripts/db-migrate.sh names the database it cannot reach without the password', async () => {
    const { code, output } = await runScript('db-migrate.sh', { LAKEMIRROR_DATABASE_URL: unreachableDatabase() });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `db:migrate: could not connect to PostgreSQL at postgres://lakemirror:***@127.0.0.1:${closedPort}/lakemirror (sslmode=disable): connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    );
  });

  it('a running API logs its servers with the passwords redacted, and its readiness never shows them, also when Redis goes away', async () => {
    const redis = await RedisInstance.start(await freePort(), ['--requirepass', redisPassword]);
    const schema = await migratedSchema('lm_secrets');
    const metricsToken = 'connection-secrets-metrics-token-01';
    // The machine's PostgreSQL trusts local connections: the password is never asked for, only carried.
    const databaseUrl = (process.env.LAKEMIRROR_DATABASE_URL as string).replace('postgres://postgres@', `postgres://postgres:${databasePassword}@`);
    const api = await startAppProcess('api', {
      LAKEMIRROR_DATABASE_URL: databaseUrl,
      LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
      LAKEMIRROR_REDIS_URL: `redis://default:${redisPassword}@127.0.0.1:${redis.port}/0`,
      LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
      LAKEMIRROR_METRICS_TOKEN: metricsToken,
      LAKEMIRROR_LOG_LEVEL: 'info',
    });
    try {
      const readiness = () => fetch(`${api.url}/service/replication/v1/health`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const up = await readiness();
      const upBody = await up.text();
      expect(JSON.parse(upBody).details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
      await redis.down();
      const down = await readiness();
      const downBody = await down.text();
      expect(down.status).toBe(503);
      expect(JSON.parse(downBody).details.redis.status).toBe('down');
      const started = JSON.parse(
        api
          .output()
          .split('\n')
          .find((line) => line.includes('"msg":"api started"')) as string,
      );
      expect(started).toMatchObject({
        database: databaseUrl.replace(databasePassword, '***'),
        redis: `redis://default:***@127.0.0.1:${redis.port}/0`,
      });
      for (const printed of [upBody, downBody, api.output()]) {
        expect(printed).not.toContain(databasePassword);
        expect(printed).not.toContain(redisPassword);
      }
    } finally {
      // Back before the API stops: its queues close on a Redis that answers.
      await redis.up();
      await api.stop();
      await redis.stop();
      await schema.drop();
    }
  });
});
