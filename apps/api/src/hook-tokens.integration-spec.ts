import type { Policy } from '@lakemirror/policies';
import { QueueName, jobId } from '@lakemirror/queues';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { ApiProcess, grantPolicies, migratedSchema, startApi } from './api-process.fixture';

interface AuditRow {
  actor: string;
  action: string;
  target: string;
  result: string;
  detail: Record<string, unknown>;
}

// Hook tokens over HTTP: issued once by who may mirror the source, stored hashed, accepted by the
// webhook route of their own mirror only (and that route accepts nothing else), rotated, revoked,
// and every failure answered 401, audited and throttled like a failed login.
describe('hook tokens', () => {
  const env = testEnvironment();
  const { accessKeyId, secretAccessKey } = env.config.source.lakefs;
  const basic = { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey.reveal()}`).toString('base64')}` };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const user = 'admin'; // the lakeFS user behind the environment's key; an admin only on `adminApi`
  const prefix = uniqueName('lmq');
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;
  let adminApi: ApiProcess;
  let scans: Queue;

  const tokenPath = (repository: string, mirror: string) => `/service/replication/v1/repositories/${repository}/mirrors/${mirror}/hook-token`;
  const hookPath = (mirror: string) => `/service/replication/v1/hooks/mirrors/${mirror}/scan`;
  const issue = async (on: ApiProcess, repository: string, mirror: string) =>
    fetch(`${on.url}${tokenPath(repository, mirror)}`, { method: 'POST', headers: basic });
  const tokenOf = async (repository: string, mirror: string): Promise<string> => {
    const response = await issue(adminApi, repository, mirror);
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  };
  const hook = (on: ApiProcess, mirror: string, headers: Record<string, string>, body?: unknown) =>
    fetch(`${on.url}${hookPath(mirror)}`, {
      method: 'POST',
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const audit = (action: string): Promise<AuditRow[]> =>
    schema.db.query(`SELECT actor, action, target, result, detail FROM audit_log WHERE action = $1 ORDER BY id`, [action]);
  const grant = (...policies: Policy[]) => grantPolicies(schema.db, user, ...policies);
  const addMirror = (id: string, source: string) =>
    schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'admin')`,
      [id, source, `s3://hooks-mirror/${id}`],
    );

  beforeAll(async () => {
    schema = await migratedSchema();
    const queues = { LAKEMIRROR_QUEUE_PREFIX: prefix };
    [api, adminApi] = await Promise.all([
      startApi(schema.schema, { ...queues, LAKEMIRROR_AUTH_FAILURES_PER_MINUTE: '3' }),
      startApi(schema.schema, { ...queues, LAKEMIRROR_ADMIN_USERS: user }),
    ]);
    await addMirror('sales-eu', 'sales');
    await addMirror('sales-us', 'sales');
    await addMirror('crm-eu', 'crm');
    scans = new Queue(QueueName.MirrorScan, { connection: { url: env.config.redisUrl }, prefix });
  });
  afterAll(async () => {
    await scans?.obliterate({ force: true }).catch(() => undefined);
    await scans?.close();
    await Promise.all([api?.stop(), adminApi?.stop()]);
    await schema?.drop();
  });

  it('issues a token once, keeps only its hash, and enqueues a scan of its mirror when a webhook presents it', async () => {
    const response = await issue(adminApi, 'sales', 'sales-eu');
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const issued = (await response.json()) as Record<string, string>;
    expect(issued).toMatchObject({ mirror_id: 'sales-eu', hook_path: hookPath('sales-eu') });
    expect(issued.token).toMatch(/^lmh_[A-Za-z0-9_-]{43}$/);
    const [stored] = await schema.db.query(`SELECT token_sha256, created_by FROM mirror_hook_tokens WHERE mirror_id = 'sales-eu'`);
    expect(stored).toEqual({ token_sha256: createHash('sha256').update(issued.token).digest('hex'), created_by: user });
    expect(JSON.stringify(await audit('mirror.hook-token.issue'))).not.toContain(issued.token);

    await scans.remove(jobId.scanMirror({ mirrorId: 'sales-eu' }));
    const event = { event_type: 'post-commit', repository_id: 'sales', branch_id: 'main', commit_id: 'c0ffee', commit_message: 'not kept' };
    const answer = await hook(adminApi, 'sales-eu', bearer(issued.token), event);
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ message: 'scan enqueued' });
    expect(await scans.getJob(jobId.scanMirror({ mirrorId: 'sales-eu' }))).toMatchObject({ name: 'scan-mirror', data: { mirrorId: 'sales-eu' } });
    expect(await audit('mirror.scan')).toEqual([
      {
        actor: 'hook:sales-eu',
        action: 'mirror.scan',
        target: 'sales/sales-eu',
        result: 'success',
        detail: { trigger: 'lakefs-hook', event_type: 'post-commit', repository_id: 'sales', branch_id: 'main', commit_id: 'c0ffee' },
      },
    ]);
    // lakeFS's own test request, and a manual call, have no body.
    expect((await hook(adminApi, 'sales-eu', bearer(issued.token))).status).toBe(202);
  });

  it("answers 401 to anything but the mirror's own token, and the token opens nothing else", async () => {
    const token = await tokenOf('sales', 'sales-us');
    const refused = async (mirror: string, headers: Record<string, string>) => {
      const response = await hook(adminApi, mirror, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lakemirror hooks", charset="UTF-8"');
      return (await response.json()) as { message: string };
    };
    expect(await refused('sales-us', {})).toEqual({ message: "authentication required: Authorization: Bearer <the mirror's hook token>" });
    expect(await refused('sales-us', bearer(`${token}x`))).toEqual({ message: 'this token is not the hook token of the mirror' });
    expect(await refused('sales-eu', bearer(token))).toEqual({ message: 'this token is not the hook token of the mirror' });
    expect(await refused('no-such-mirror', bearer(token))).toEqual({ message: 'this token is not the hook token of the mirror' });
    expect(await refused('NOT..valid', bearer(token))).toEqual({ message: 'this token is not the hook token of the mirror' });
    // lakeFS credentials do not open the webhook route, and the token opens no other route.
    expect(await refused('sales-us', basic)).toEqual({ message: "authentication required: Authorization: Bearer <the mirror's hook token>" });
    const status = await fetch(`${adminApi.url}/service/replication/v1/repositories/sales/mirrors/sales-us/status`, { headers: bearer(token) });
    expect(status.status).toBe(401);
    const another = await fetch(`${adminApi.url}${tokenPath('sales', 'sales-us')}`, { method: 'POST', headers: bearer(token) });
    expect(another.status).toBe(401);

    const failures = (await schema.db.query(
      `SELECT action, target, detail FROM audit_log WHERE target LIKE '/service/replication/v1/hooks/%' ORDER BY id`,
    )) as AuditRow[];
    expect(failures.map((f) => [f.action, f.target, f.detail.reason])).toEqual(
      expect.arrayContaining([
        ['auth.failed', hookPath('sales-us'), 'wrong hook token (or no such mirror)'],
        ['auth.failed', hookPath('sales-eu'), 'wrong hook token (or no such mirror)'],
        ['auth.failed', hookPath('sales-us'), 'not a bearer token'],
      ]),
    );
    expect(JSON.stringify(failures)).not.toContain(token);
  });

  it('rotates: a new token replaces the old one; a revoked token is refused', async () => {
    const old = await tokenOf('crm', 'crm-eu');
    const fresh = await tokenOf('crm', 'crm-eu');
    expect(fresh).not.toBe(old);
    expect((await hook(adminApi, 'crm-eu', bearer(old))).status).toBe(401);
    expect((await hook(adminApi, 'crm-eu', bearer(fresh))).status).toBe(202);
    const tokenInfo = () => fetch(`${adminApi.url}${tokenPath('crm', 'crm-eu')}`, { headers: basic });
    const shown = await tokenInfo();
    expect(shown.status).toBe(200);
    const info = (await shown.json()) as Record<string, string>;
    expect(info).toEqual({ mirror_id: 'crm-eu', created_by: user, created_at: expect.any(String), hook_path: hookPath('crm-eu') });

    const revoke = () => fetch(`${adminApi.url}${tokenPath('crm', 'crm-eu')}`, { method: 'DELETE', headers: basic });
    expect((await revoke()).status).toBe(204);
    expect((await hook(adminApi, 'crm-eu', bearer(fresh))).status).toBe(401);
    expect((await tokenInfo()).status).toBe(404);
    const again = await revoke();
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ message: 'mirror "crm-eu" has no hook token' });
    expect((await audit('mirror.hook-token.revoke')).map((a) => [a.actor, a.target, a.result])).toEqual([
      [user, 'crm/crm-eu', 'success'],
      [user, 'crm/crm-eu', 'failure'],
    ]);
  });

  it('names what is wrong with the request: an unknown mirror, a mirror of another source, a malformed name', async () => {
    const unknown = await issue(adminApi, 'sales', 'no-such-mirror');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'mirror "no-such-mirror" of repository "sales" not found' });
    expect((await issue(adminApi, 'crm', 'sales-eu')).status).toBe(404);
    const malformed = await issue(adminApi, 'sales', 'Bad_Name');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toContain('mirror "Bad_Name" is not a valid repository ID');
  });

  it('issues a token only to who may mirror the source (fs:ListRepositories, fs:ReadRepository, fs:MirrorRepository), auditing refusals', async () => {
    await grant({ id: 'read-sales', statement: [{ action: ['fs:ReadRepository', 'fs:ListRepositories'], effect: 'allow', resource: '*' }] });
    const refused = await issue(api, 'sales', 'sales-eu');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: `fs:MirrorRepository on arn:lakefs:fs:::repository/sales is not allowed for user ${user}` });
    await grant({
      id: 'mirror-sales',
      statement: [
        { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
        { action: ['fs:ReadRepository', 'fs:MirrorRepository'], effect: 'allow', resource: 'arn:lakefs:fs:::repository/sales' },
      ],
    });
    expect((await issue(api, 'sales', 'sales-eu')).status).toBe(201);
    expect((await issue(api, 'crm', 'crm-eu')).status).toBe(403);
    const refusals = (await audit('mirror.hook-token.issue')).filter((a) => a.detail.status === 403);
    expect(refusals.map((a) => [a.target, a.detail.status])).toEqual([
      ['sales/sales-eu', 403],
      ['crm/crm-eu', 403],
    ]);
  });

  it('documents the routes in the OpenAPI document, the webhook with the bearer scheme', async () => {
    const openapi = (await (await fetch(`${adminApi.url}/service/replication/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; summary?: string }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const tokens = openapi.paths['/service/replication/v1/repositories/{repository}/mirrors/{mirror}/hook-token'];
    expect(Object.keys(tokens).sort()).toEqual(['delete', 'get', 'post']);
    const webhook = openapi.paths['/service/replication/v1/hooks/mirrors/{mirror}/scan'].post;
    expect(webhook.security).toEqual([{ bearer: [] }]);
    expect(webhook.summary).toContain("Authorization: Bearer <the mirror's hook token>");
    expect(openapi.components.securitySchemes).toHaveProperty('bearer');
  });

  // Last: it uses up the failure limit of 127.0.0.1 on `api` for a minute.
  it('throttles wrong tokens like failed logins: past the limit even the right token waits', async () => {
    const token = await tokenOf('sales', 'sales-us');
    for (let i = 0; i < 3; i++) expect((await hook(api, 'sales-us', bearer(`lmh_guess${i}`))).status).toBe(401);
    const throttled = await hook(api, 'sales-us', bearer(token));
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await audit('auth.throttled')).toEqual([expect.objectContaining({ target: hookPath('sales-us'), result: 'failure' })]);
  });
});
