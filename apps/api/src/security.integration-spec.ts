import { randomBytes } from 'node:crypto';
import { LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { freePort, runAppExpectingExit, uniqueName, waitFor } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';

interface AuditRow {
  actor: string;
  action: string;
  target: string;
  result: string;
  detail: Record<string, unknown>;
}
const bodyOf = async (response: Response) => (await response.json()) as Record<string, unknown>;

// The API's defences against abuse, over HTTP, against the real source lakeFS: throttled
// authentication and expensive calls, monitoring behind a token, JSON-only writes, security
// headers, Bull Board's writes, and the audit log of every refusal. Tests that use up a limit of
// the single lakeFS user or of 127.0.0.1 come last in their block: limits last a minute.
describe('API security', () => {
  const env = testEnvironment();
  const key = env.config.source.lakefs.accessKeyId;
  const secret = env.config.source.lakefs.secretAccessKey.reveal();
  const basic = (id: string, password: string) => `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
  const admin = basic(key, secret);
  const wrongKey = () => basic(`AKIA${randomBytes(8).toString('hex').toUpperCase()}`, 'wrong-secret');
  const token = `metrics-${randomBytes(24).toString('hex')}`;
  const BOARD = '/service/replication/v1/admin/queues';
  const POLICIES = '/service/replication/v1/admin/policies';
  const mirrorsOf = (repository: string) => `/service/replication/v1/repositories/${repository}/mirrors`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let deadPort: number;
  // Defaults, but for a low failure limit: no metrics token, no admins, X-Forwarded-For not trusted.
  let plain: ApiProcess;
  // A metrics token, "admin" as admin, X-Forwarded-For trusted from loopback, low limits, and region-b's lakeFS down.
  let guarded: ApiProcess;

  const call = (api: ApiProcess, path: string, init: RequestInit & { client?: string } = {}) => {
    const headers = { ...(init.client ? { 'x-forwarded-for': init.client } : {}), ...(init.headers as Record<string, string>) };
    return fetch(`${api.url}${path}`, { ...init, headers });
  };
  const auditOf = async (client: string): Promise<AuditRow[]> =>
    schema.db.query(`SELECT actor, action, target, result, detail FROM audit_log WHERE detail->>'client' = $1 ORDER BY id`, [client]);

  beforeAll(async () => {
    schema = await migratedSchema();
    deadPort = await freePort();
    [plain, guarded] = await Promise.all([
      startApi(schema.schema, { LAKEMIRROR_AUTH_FAILURES_PER_MINUTE: '5', LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') }),
      startApi(schema.schema, {
        LAKEMIRROR_ADMIN_USERS: 'admin',
        LAKEMIRROR_METRICS_TOKEN: token,
        LAKEMIRROR_TRUSTED_PROXIES: 'loopback',
        LAKEMIRROR_AUTH_FAILURES_PER_MINUTE: '3',
        LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE: '4',
        LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
        // Region B only (the local environment may have more regions), so that the readiness details are known.
        LAKEMIRROR_REGIONS: 'region-b',
        LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT: `http://127.0.0.1:${deadPort}`,
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), guarded?.stop()]);
    await schema?.drop();
  });

  it('refuses to start on security settings it cannot use, naming each', async () => {
    const { code, output } = await runAppExpectingExit('api', {
      LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
      LAKEMIRROR_AUTH_FAILURES_PER_MINUTE: '0',
      LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE: 'many',
      LAKEMIRROR_TRUSTED_PROXIES: 'proxy.example',
      LAKEMIRROR_METRICS_TOKEN: 'short',
    });
    expect(code).toBe(1);
    expect(output).toContain('LAKEMIRROR_AUTH_FAILURES_PER_MINUTE must be a whole number from 1 to 10000, got "0"');
    expect(output).toContain('LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE must be a whole number from 1 to 100000, got "many"');
    expect(output).toContain('LAKEMIRROR_TRUSTED_PROXIES must be a hop count or addresses/CIDRs (or loopback, linklocal, uniquelocal), got "proxy.example"');
    expect(output).toContain('LAKEMIRROR_METRICS_TOKEN must be at least 16 characters without spaces');
    expect(output).not.toContain('short');
  });

  describe('with the default settings', () => {
    const repo = uniqueName('sec-src');
    const mirror = `${repo}-eu`;
    const request = { name: mirror, region: 'region-b', storage_namespace: `s3://${env.regionB.bucket}/mirrors/${repo}` };
    const asAdmin = { authorization: admin };

    beforeAll(async () => {
      await env.source.lakefs.createRepository({ name: repo, storage_namespace: `s3://${env.source.bucket}/mirrors/${repo}`, default_branch: 'main' });
      const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
      await schema.db.getRepository(PolicyEntity).save({ id: everything.id, document: everything });
      await schema.db.getRepository(PolicyAttachmentEntity).insert({ policyId: everything.id, principalType: 'user', principalId: 'admin' });
    });
    afterAll(async () => {
      await env.source.lakefs.deleteRepository(repo).catch(() => undefined);
      await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    });

    it('takes writes as JSON only: a form or text/plain create is 415 and creates nothing; the same fields as JSON create the mirror', async () => {
      const form = await call(plain, mirrorsOf(repo), { method: 'POST', headers: asAdmin, body: new URLSearchParams(request) });
      expect(form.status).toBe(415);
      expect((await bodyOf(form)).message).toBe(
        'request bodies must be JSON (Content-Type: application/json); got Content-Type "application/x-www-form-urlencoded;charset=UTF-8"',
      );
      const text = await call(plain, mirrorsOf(repo), { method: 'POST', headers: { ...asAdmin, 'content-type': 'text/plain' }, body: JSON.stringify(request) });
      expect(text.status).toBe(415);
      // fetch labels a string body text/plain, as a cross-site fetch would.
      const untyped = await call(plain, `${POLICIES}/p1`, { method: 'PUT', headers: asAdmin, body: '{}' });
      expect(untyped.status).toBe(415);
      expect(await schema.db.query(`SELECT id FROM mirrors WHERE id = $1`, [mirror])).toEqual([]);
      await expect(env.regionB.lakefs.getRepository(mirror)).rejects.toBeInstanceOf(LakefsNotFoundError);

      const json = await call(plain, mirrorsOf(repo), {
        method: 'POST',
        headers: { ...asAdmin, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      expect(json.status).toBe(201);
      // A write without a body needs no Content-Type (a lakeFS hook's scan).
      expect((await call(plain, `${mirrorsOf(repo)}/${mirror}/scan`, { method: 'POST', headers: asAdmin })).status).toBe(202);
      expect((await call(plain, `${mirrorsOf(repo)}/${mirror}`, { method: 'DELETE', headers: asAdmin })).status).toBe(204);
    });

    it('serves /metrics to admins only when no token is set; readiness says only its status', async () => {
      const anonymous = await call(plain, '/metrics');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="lakemirror", charset="UTF-8"');
      expect((await call(plain, '/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      const notAdmin = await call(plain, '/metrics', { headers: asAdmin });
      expect(notAdmin.status).toBe(403);
      expect((await bodyOf(notAdmin)).message).toBe('user admin is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)');
      for (const headers of [{}, asAdmin]) {
        const ready = await call(plain, '/service/replication/v1/health', { headers });
        expect(ready.status).toBe(200);
        expect(await bodyOf(ready)).toEqual({ status: 'ok' });
      }
      const refusals = await auditOf('127.0.0.1');
      expect(refusals).toContainEqual(expect.objectContaining({ actor: 'admin', action: 'auth.forbidden', target: '/metrics', result: 'failure' }));
    });

    it('refuses Bull Board to non-admins, auditing the 403', async () => {
      const response = await call(plain, `${BOARD}/api/queues`, { headers: asAdmin });
      expect(response.status).toBe(403);
      expect(await auditOf('127.0.0.1')).toContainEqual(
        expect.objectContaining({ actor: 'admin', action: 'auth.forbidden', target: `${BOARD}/api/queues`, result: 'failure' }),
      );
    });

    // Last: it uses up the failures 127.0.0.1 is allowed this minute.
    it('ignores X-Forwarded-For when no proxy is trusted: the connection is the client', async () => {
      let throttled: Response | undefined;
      for (let i = 1; i <= 6 && !throttled; i++) {
        const response = await call(plain, POLICIES, { client: `198.51.100.${i}`, headers: { authorization: wrongKey() } });
        if (response.status === 429) throttled = response;
        else expect(response.status).toBe(401);
      }
      expect(throttled?.headers.get('retry-after')).toMatch(/^\d+$/);
      // Right credentials, another claimed client: still the same connection, still throttled.
      const next = await call(plain, POLICIES, { client: '198.51.100.99', headers: asAdmin });
      expect(next.status).toBe(429);
    });
  });

  describe('with a metrics token, trusted proxies and low limits', () => {
    const asAdmin = { authorization: admin };

    it('sends security headers and no framework fingerprint on API answers', async () => {
      for (const response of [
        await call(guarded, '/health'),
        await call(guarded, POLICIES, { client: '203.0.113.1', headers: asAdmin }),
        await call(guarded, '/no/such/route', { client: '203.0.113.1', headers: asAdmin }),
      ]) {
        expect(response.headers.get('x-powered-by')).toBeNull();
        expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('gives Swagger UI and Bull Board a policy that lets their own scripts run and nothing else', async () => {
      for (const [page, headers] of [
        ['/service/replication/v1/docs/', {}],
        [BOARD, asAdmin],
      ] as const) {
        const response = await call(guarded, page, { client: '203.0.113.2', headers });
        expect(response.status).toBe(200);
        const policy = response.headers.get('content-security-policy') ?? '';
        expect(policy).toContain("script-src 'self'");
        expect(policy).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-powered-by')).toBeNull();
        const html = await response.text();
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        expect(scripts.length).toBeGreaterThan(0);
        for (const [, attributes, code] of scripts) {
          const src = /\bsrc=["']([^"']+)["']/.exec(attributes)?.[1];
          if (src === undefined) {
            // Inline code would be blocked by script-src 'self'; JSON data blocks are not code.
            expect(code.trim() === '' || /type=["']application\/json["']/.test(attributes)).toBe(true);
            continue;
          }
          expect(src).not.toMatch(/^(https?:)?\/\//);
          const base = page.endsWith('/') ? page : `${page}/`;
          const script = await call(guarded, src.startsWith('/') ? src : `${base}${src.replace(/^\.\//, '')}`, { client: '203.0.113.2', headers });
          expect(script.status).toBe(200);
        }
      }
    });

    it('answers readiness with its status to anyone, and the details, never raw errors, to the token or an admin', async () => {
      const anonymous = await call(guarded, '/service/replication/v1/health');
      expect(anonymous.status).toBe(503);
      expect(await bodyOf(anonymous)).toEqual({ status: 'error' });
      for (const authorization of [`Bearer ${token}`, admin]) {
        const detailed = await call(guarded, '/service/replication/v1/health', { client: '203.0.113.3', headers: { authorization } });
        expect(detailed.status).toBe(503);
        const text = await detailed.text();
        const body = JSON.parse(text) as { status: string; details: Record<string, unknown> };
        expect(body.status).toBe('error');
        expect(body.details).toEqual({
          postgres: { status: 'up' },
          redis: { status: 'up' },
          'lakefs:source': { status: 'up' },
          'lakefs:region-b': { status: 'down', message: 'unreachable' },
        });
        expect(text).not.toMatch(/ECONNREFUSED|fetch failed|connect|127\.0\.0\.1/);
        expect(text).not.toContain(String(deadPort));
      }
    });

    it('serves /metrics to the bearer token and to admins only, auditing refusals', async () => {
      const anonymous = await call(guarded, '/metrics', { client: '203.0.113.4' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Bearer realm="lakemirror"');
      const wrong = await call(guarded, '/metrics', { client: '203.0.113.4', headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status).toBe(401);
      expect((await bodyOf(wrong)).message).toBe('the bearer token is not the metrics token (LAKEMIRROR_METRICS_TOKEN)');
      for (const authorization of [`Bearer ${token}`, admin]) {
        const scrape = await call(guarded, '/metrics', { client: '203.0.113.5', headers: { authorization } });
        expect(scrape.status).toBe(200);
        expect(await scrape.text()).toContain('lakemirror_api_process_cpu_seconds_total');
      }
      expect((await auditOf('203.0.113.4')).map((r) => [r.actor, r.action, r.target, r.detail.reason])).toEqual([
        ['anonymous', 'auth.missing', '/metrics', 'no credentials'],
        ['anonymous', 'auth.failed', '/metrics', 'wrong metrics token'],
      ]);
    });

    it('audits every failed authentication, and missing credentials once per client and minute', async () => {
      for (let i = 0; i < 2; i++) {
        const response = await call(guarded, POLICIES, { client: '203.0.113.6' });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="lakemirror", charset="UTF-8"');
      }
      const failedKey = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const wrong = await call(guarded, `${POLICIES}?x=1`, { client: '203.0.113.7', headers: { authorization: basic(failedKey, 'nope') } });
      expect(wrong.status).toBe(401);
      expect(await bodyOf(wrong)).toEqual({ message: 'lakeFS did not accept these credentials' });
      const rows = [...(await auditOf('203.0.113.6')), ...(await auditOf('203.0.113.7'))];
      expect(rows).toEqual([
        {
          actor: 'anonymous',
          action: 'auth.missing',
          target: POLICIES,
          result: 'failure',
          detail: { client: '203.0.113.6', method: 'GET', status: 401, reason: 'no credentials' },
        },
        {
          actor: 'anonymous',
          action: 'auth.failed',
          target: POLICIES,
          result: 'failure',
          detail: { client: '203.0.113.7', method: 'GET', status: 401, reason: 'lakeFS did not accept the credentials', access_key_id: failedKey },
        },
      ]);
    });

    it('throttles a client after too many failed authentications, before asking lakeFS, honouring X-Forwarded-For from a trusted proxy', async () => {
      for (let i = 0; i < 3; i++) {
        expect((await call(guarded, POLICIES, { client: '203.0.113.20', headers: { authorization: wrongKey() } })).status).toBe(401);
      }
      // The right credentials now: refused all the same, without lakeFS's opinion.
      const throttled = await call(guarded, POLICIES, { client: '203.0.113.20', headers: asAdmin });
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await bodyOf(throttled)).message).toBe(`too many failed authentications from this client; retry after ${retryAfter} s`);
      expect((await call(guarded, POLICIES, { client: '203.0.113.21', headers: asAdmin })).status).toBe(200);
      const actions = (await auditOf('203.0.113.20')).map((r) => r.action);
      expect(actions).toEqual(['auth.failed', 'auth.failed', 'auth.failed', 'auth.throttled']);
    });

    it('limits expensive calls (create, scan, status, retry) per caller, leaving the others alone', async () => {
      const client = { client: '203.0.113.30' };
      const json = { ...asAdmin, 'content-type': 'application/json' };
      const expensive = [
        () => call(guarded, `${mirrorsOf('sec-none')}/sec-none-eu/status`, { ...client, headers: asAdmin }),
        () => call(guarded, `${mirrorsOf('sec-none')}/sec-none-eu/scan`, { ...client, method: 'POST', headers: asAdmin }),
        () => call(guarded, mirrorsOf('sec-none'), { ...client, method: 'POST', headers: json, body: JSON.stringify({ name: 'X' }) }),
        () => call(guarded, `${mirrorsOf('sec-none')}/sec-none-eu/commits/${'a'.repeat(64)}/retry`, { ...client, method: 'POST', headers: asAdmin }),
      ];
      for (const send of expensive) expect((await send()).status).not.toBe(429);
      const limited = await expensive[1]();
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect((await bodyOf(limited)).message).toBe(
        `too many expensive calls (create, scan, status, retry) by admin: at most 4 a minute; retry after ${retryAfter} s`,
      );
      expect((await call(guarded, POLICIES, { ...client, headers: asAdmin })).status).toBe(200);
    });

    it('lets Bull Board write only same-site JSON or body-less requests, and audits every write with its result', async () => {
      const client = '203.0.113.40';
      const board = (path: string, init: RequestInit = {}) =>
        call(guarded, `${BOARD}/api/queues${path}`, { ...init, client, headers: { ...asAdmin, ...(init.headers as Record<string, string>) } });
      expect((await board('/mirror-scan/pause', { method: 'PUT' })).status).toBe(200);
      expect((await board('/mirror-scan/resume', { method: 'PUT', headers: { origin: guarded.url } })).status).toBe(200);
      expect((await board('/no-such-queue/pause', { method: 'PUT' })).status).toBe(404);
      const added = await board('/mirror-scan/add', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'security-spec', data: {} }),
      });
      expect(added.status).toBe(200);
      expect((await board('/mirror-scan/empty', { method: 'PUT' })).status).toBe(200);

      const crossSite = await board('/mirror-scan/pause', { method: 'PUT', headers: { origin: 'https://evil.example' } });
      expect(crossSite.status).toBe(403);
      expect((await bodyOf(crossSite)).message).toBe('cross-site request refused: Origin https://evil.example is not this site');
      const form = await board('/mirror-scan/add', { method: 'POST', body: new URLSearchParams({ name: 'x' }) });
      expect(form.status).toBe(415);
      const bodiless = await board('/mirror-scan/add', { method: 'POST' });
      expect(bodiless.status).toBe(415);
      expect((await bodyOf(bodiless)).message).toBe('Bull Board accepts POST requests with Content-Type: application/json only');

      const q = `${BOARD}/api/queues`;
      const expected = [
        ['admin', 'bull-board.put', `${q}/mirror-scan/pause`, 'success', 200],
        ['admin', 'bull-board.put', `${q}/mirror-scan/resume`, 'success', 200],
        ['admin', 'bull-board.put', `${q}/no-such-queue/pause`, 'failure', 404],
        ['admin', 'bull-board.post', `${q}/mirror-scan/add`, 'success', 200],
        ['admin', 'bull-board.put', `${q}/mirror-scan/empty`, 'success', 200],
        ['admin', 'auth.forbidden', `${q}/mirror-scan/pause`, 'failure', 403],
        ['admin', 'write.refused', `${q}/mirror-scan/add`, 'failure', 415],
      ];
      // Writes are audited once answered: the rows may trail the responses.
      const rows = await waitFor('the audit rows of Bull Board', async () => {
        const found = (await auditOf(client)).map((r) => [r.actor, r.action, r.target, r.result, r.detail.status]);
        return found.length >= expected.length ? found : undefined;
      });
      expect(rows.sort()).toEqual(expected.sort());
      expect(await schema.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE detail->>'client' = $1 AND action = 'bull-board.get'`, [client])).toEqual([
        { n: 0 },
      ]);
    });

    // Last: it locks the lakeFS key of the environment out of this API process for a minute.
    it('throttles an access key after too many failures, whichever client sends it, before asking lakeFS', async () => {
      expect((await call(guarded, POLICIES, { client: '203.0.113.50', headers: asAdmin })).status).toBe(200);
      for (const client of ['203.0.113.51', '203.0.113.52', '203.0.113.53']) {
        expect((await call(guarded, POLICIES, { client, headers: { authorization: basic(key, 'wrong-secret') } })).status).toBe(401);
      }
      // Verified a moment ago and cached: the key is refused all the same.
      const throttled = await call(guarded, POLICIES, { client: '203.0.113.54', headers: asAdmin });
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect((await bodyOf(throttled)).message).toBe(`too many failed authentications for this access key; retry after ${retryAfter} s`);
      const audit = await auditOf('203.0.113.54');
      expect(audit).toEqual([expect.objectContaining({ action: 'auth.throttled', detail: expect.objectContaining({ access_key_id: key, status: 429 }) })]);
    });
  });
});
