import { RedisInstance, TestCertificates, createTestCertificates, freePort, runAppExpectingExit } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// The whole pipeline on a Redis of the test's own that speaks only TLS and wants a password
// (rediss://), its certificate signed by a throwaway CA given with LAKEMIRROR_REDIS_TLS_CA_FILE.
describe('Redis with a password and TLS (rediss://)', () => {
  const password = 'Redis-Tls-Distinct-Pw-93';
  const metricsToken = 'redis-tls-test-metrics-token-0001';
  let certificates: TestCertificates;
  let redis: RedisInstance;
  let pipeline: PipelineUnderTest;
  let redisUrl: (secret: string, host?: string) => string;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    certificates = createTestCertificates(['IP:127.0.0.1']);
    const port = await freePort();
    redis = await RedisInstance.start(port, [
      ...['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no', '--requirepass', password],
      ...['--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile, '--tls-ca-cert-file', certificates.caFile],
    ]);
    redisUrl = (secret, host = '127.0.0.1') => `rediss://default:${secret}@${host}:${port}/0`;
    pipeline = new PipelineUnderTest({
      LAKEMIRROR_REDIS_URL: redisUrl(password),
      LAKEMIRROR_REDIS_TLS_CA_FILE: certificates.caFile,
      LAKEMIRROR_METRICS_TOKEN: metricsToken,
    });
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
  });
  afterAll(async () => {
    await pipeline?.stop();
    if (repository) await pipeline.deleteRepositories(repository, mirror);
    await redis?.stop();
    certificates?.remove();
  });

  it('mirrors a commit with every queue on the TLS Redis, reports Redis up, and never prints the password', async () => {
    const readiness = await fetch(`${pipeline.api.url}/service/replication/v1/health`, { headers: { authorization: `Bearer ${metricsToken}` } });
    const health = (await readiness.json()) as { details?: Record<string, { status: string }> };
    expect(health.details?.redis).toEqual({ status: 'up' });

    repository = await pipeline.createSourceRepository('e2e-redis-tls');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'over-tls', 5);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);

    for (const { key, output } of pipeline.allOutput()) {
      expect({ key, leaked: output.includes(password) }).toEqual({ key, leaked: false });
    }
    const started = pipeline.api
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"api started"'));
    expect(JSON.parse(started as string)).toMatchObject({ redis: redisUrl('***') });
  });

  it('stops an app on a wrong password with one readable line that names the server, not the password', async () => {
    const wrong = 'Wrong-Redis-Pw-17';
    const { code, output } = await runAppExpectingExit('scanner', { LAKEMIRROR_REDIS_URL: redisUrl(wrong), LAKEMIRROR_REDIS_TLS_CA_FILE: certificates.caFile });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `scanner: could not start: could not connect to Redis at rediss://default@127.0.0.1:${redis.port}/0: WRONGPASS invalid username-password pair or user is disabled.`,
    );
    expect(output).not.toContain(password);
  });

  it('never skips certificate verification: without the CA file, or for a host name the certificate does not name, the app refuses to start', async () => {
    const withoutCa = await runAppExpectingExit('scanner', { LAKEMIRROR_REDIS_URL: redisUrl(password) });
    expect(withoutCa.code).toBe(1);
    expect(withoutCa.output.trim()).toBe(
      `scanner: could not start: could not connect to Redis at rediss://default@127.0.0.1:${redis.port}/0: self-signed certificate in certificate chain`,
    );
    const wrongHost = await runAppExpectingExit('scanner', {
      LAKEMIRROR_REDIS_URL: redisUrl(password, 'localhost'),
      LAKEMIRROR_REDIS_TLS_CA_FILE: certificates.caFile,
    });
    expect(wrongHost.code).toBe(1);
    expect(wrongHost.output).toContain(
      `could not connect to Redis at rediss://default@localhost:${redis.port}/0: Hostname/IP does not match certificate's altnames`,
    );
    expect(withoutCa.output + wrongHost.output).not.toContain(password);
  });
});
