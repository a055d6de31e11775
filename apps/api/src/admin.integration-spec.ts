import { testEnvironment } from '@lakemirror/test-environment';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';

// Policy management by the admins named in LAKEMIRROR_ADMIN_USERS, over HTTP.
describe('admin policy management', () => {
  const env = testEnvironment();
  const auth = {
    authorization: `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let asAdmin: ApiProcess;
  let asUser: ApiProcess;
  const admin = (path: string, init: RequestInit = {}, api = asAdmin) => fetch(`${api.url}/service/replication/v1/admin/${path}`, { ...init, headers: auth });
  const policy = { id: 'mirror-sales', statement: [{ action: ['fs:MirrorRepository'], effect: 'allow', resource: 'arn:lakefs:fs:::repository/sales' }] };

  beforeAll(async () => {
    schema = await migratedSchema();
    [asAdmin, asUser] = await Promise.all([startApi(schema.schema, { LAKEMIRROR_ADMIN_USERS: 'admin' }), startApi(schema.schema)]);
  });
  afterAll(async () => {
    await Promise.all([asAdmin?.stop(), asUser?.stop()]);
    await schema?.drop();
  });

  it('creates, reads, attaches, detaches and deletes policies, auditing each change', async () => {
    expect((await admin('policies/mirror-sales', { method: 'PUT', body: JSON.stringify(policy) })).status).toBe(200);
    expect(await (await admin('policies/mirror-sales')).json()).toEqual(policy);
    expect(await (await admin('policies')).json()).toEqual({ results: [policy] });
    expect((await admin('users/alice/policies/mirror-sales', { method: 'PUT' })).status).toBe(204);
    expect((await admin('groups/analysts/policies/mirror-sales', { method: 'PUT' })).status).toBe(204);
    expect((await admin('groups/analysts/members/bob', { method: 'PUT' })).status).toBe(204);
    expect(await schema.db.query(`SELECT principal_type, principal_id FROM policy_attachments ORDER BY 1, 2`)).toEqual([
      { principal_type: 'group', principal_id: 'analysts' },
      { principal_type: 'user', principal_id: 'alice' },
    ]);
    expect((await admin('users/alice/policies/mirror-sales', { method: 'DELETE' })).status).toBe(204);
    expect((await admin('users/alice/policies/mirror-sales', { method: 'DELETE' })).status).toBe(404);
    expect((await admin('groups/analysts/members/bob', { method: 'DELETE' })).status).toBe(204);
    expect((await admin('policies/mirror-sales', { method: 'DELETE' })).status).toBe(204);
    expect((await admin('policies/mirror-sales')).status).toBe(404);
    const audit = await schema.db.query(`SELECT action, result FROM audit_log ORDER BY id`);
    expect(audit.map((a: { action: string; result: string }) => `${a.action}:${a.result}`)).toEqual([
      'policy.put:success',
      'policy.attach:success',
      'policy.attach:success',
      'group.add:success',
      'policy.detach:success',
      'policy.detach:failure',
      'group.remove:success',
      'policy.delete:success',
    ]);
  });

  it('refuses bad documents and unknown policies with a message', async () => {
    const bad = await admin('policies/p1', {
      method: 'PUT',
      body: JSON.stringify({ id: 'p1', statement: [{ action: [], effect: 'perhaps', resource: '*' }] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/statement\.0\.action.*statement\.0\.effect/);
    const mismatch = await admin('policies/p2', { method: 'PUT', body: JSON.stringify({ ...policy, id: 'other' }) });
    expect(mismatch.status).toBe(400);
    expect((await admin('users/alice/policies/missing', { method: 'PUT' })).status).toBe(404);
    expect((await admin('robots/alice/policies/missing', { method: 'PUT' })).status).toBe(404);
  });

  it('serves Bull Board with the pipeline queues to admins only', async () => {
    const board = (api: ApiProcess, headers: Record<string, string>) => fetch(`${api.url}/service/replication/v1/admin/queues/api/queues`, { headers });
    const anonymous = await board(asAdmin, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect((await board(asUser, auth)).status).toBe(403);
    const queues = (await (await board(asAdmin, auth)).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['commit-promote', 'commit-verify', 'mirror-audit', 'mirror-scan']);
    const page = await fetch(`${asAdmin.url}/service/replication/v1/admin/queues`, { headers: auth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('is for admins only', async () => {
    const response = await admin('policies', {}, asUser);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe('user admin is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)');
  });
});
