import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { PostgresInstance, TestCertificates, createTestCertificates, freePort, runAppExpectingExit, startAppProcess, uniqueName } from '@lakemirror/testing';

const root = path.resolve(__dirname, '../../..');

async function migrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['scripts/db-migrate.sh'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

// PostgreSQL reachable only over TLS (hostssl), its certificate signed by a throwaway CA given
// with LAKEMIRROR_DATABASE_TLS_CA_FILE: the migration script and the apps connect with
// sslmode=verify-full, and a host name the certificate does not name is refused in one line.
describe('PostgreSQL over TLS (sslmode=verify-full)', () => {
  const password = 'Pg-Tls-E2e-Distinct-Pw-58';
  const metricsToken = 'postgres-tls-test-metrics-token-01';
  let certificates: TestCertificates;
  let server: PostgresInstance;
  let settings: (host: string) => Record<string, string>;

  beforeAll(async () => {
    certificates = createTestCertificates(['IP:127.0.0.1']);
    server = await PostgresInstance.start(await freePort(), { ssl: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
    settings = (host) => ({
      LAKEMIRROR_DATABASE_URL: `postgres://postgres:${password}@${host}:${server.port}/postgres?sslmode=verify-full`,
      LAKEMIRROR_DATABASE_TLS_CA_FILE: certificates.caFile,
      LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
      LAKEMIRROR_METRICS_TOKEN: metricsToken,
    });
  });
  afterAll(async () => {
    await server?.stop();
    certificates?.remove();
  });

  it('migrates with scripts/db-migrate.sh, then runs the API on the encrypted database', async () => {
    const migrated = await migrate(settings('127.0.0.1'));
    expect(migrated).toMatchObject({ code: 0, output: expect.stringContaining('applied InitialSchema1795500000000') });
    const api = await startAppProcess('api', settings('127.0.0.1'));
    try {
      const readiness = await fetch(`${api.url}/service/replication/v1/health`, { headers: { authorization: `Bearer ${metricsToken}` } });
      const body = await readiness.text();
      expect(JSON.parse(body).details.postgres).toEqual({ status: 'up' });
      expect(body + api.output() + migrated.output).not.toContain(password);
    } finally {
      expect(await api.stop()).toBe(0);
    }
  });

  it('refuses a host name the certificate does not name, in one line without the password', async () => {
    const { code, output } = await runAppExpectingExit('scanner', settings('localhost'));
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      expect.stringContaining(
        `scanner: could not start: could not connect to PostgreSQL at postgres://postgres:***@localhost:${server.port}/postgres (sslmode=verify-full): `,
      ),
    ]);
    expect(output).toContain(`Hostname/IP does not match certificate's altnames: Host: localhost.`);
    expect(output).not.toContain(password);
    const migrated = await migrate(settings('localhost'));
    expect(migrated.code).toBe(1);
    expect(migrated.output).toContain(
      `db:migrate: could not connect to PostgreSQL at postgres://postgres:***@localhost:${server.port}/postgres (sslmode=verify-full): `,
    );
  });
});
