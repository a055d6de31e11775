import { AuditRecordEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi, grantPolicies } from './api-process.fixture';

type Init = RequestInit & { headers?: Record<string, string> };

interface ApiBody {
  message: string;
  errors?: Record<string, string>;
  results?: { id: string }[];
}

// Policies as lakeFS evaluates them, over HTTP against real PostgreSQL and the source lakeFS
// (which says who the key belongs to): reading mirrors needs fs:ReadRepository on the source,
// conditions are evaluated against the client's address, what lakeFS could not evaluate denies,
// bad documents are refused when written, and every refusal lands in the audit log.
describe('authorization', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; no admin on `api`
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const readable = uniqueName('authz-open');
  const unreadable = uniqueName('authz-secret');
  const openMirror = `${readable}-eu`;
  const secretMirror = `${unreadable}-eu`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;
  let adminApi: ApiProcess;

  const call = (path: string, init: Init = {}, on = api) =>
    fetch(`${on.url}/service/replication/v1/${path}`, { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...init.headers } });
  const statusOf = async (path: string, init: Init = {}) => (await call(path, init)).status;
  const bodyOf = async (response: Response) => (await response.json()) as ApiBody;
  /** Stores policies as given (bypassing validation, as a document stored before it existed) and attaches them to the user. */
  const grant = (...policies: Policy[]) => grantPolicies(schema.db, user, ...policies);
  const auditOf = (action: string) => schema.db.getRepository(AuditRecordEntity).find({ where: { action }, order: { id: 'ASC' } });
  const readCalls = (source: string, mirror: string): [string, Init][] => [
    [`repositories/${source}/mirrors`, {}],
    [`repositories/${source}/mirrors/${mirror}`, {}],
    [`repositories/${source}/mirrors/${mirror}/status`, {}],
    [`repositories/${source}/mirrors/${mirror}/scan`, { method: 'POST' }],
  ];

  beforeAll(async () => {
    schema = await migratedSchema('lm_authz');
    const queues = { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') };
    [api, adminApi] = await Promise.all([startApi(schema.schema, queues), startApi(schema.schema, { ...queues, LAKEMIRROR_ADMIN_USERS: user })]);
    for (const [id, source] of [
      [openMirror, readable],
      [secretMirror, unreadable],
    ]) {
      await schema.db.query(
        `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'someone')`,
        [id, source, `s3://${env.regionB.bucket}/mirrors/${id}`],
      );
    }
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), adminApi?.stop()]);
    await schema?.drop();
  });

  it("lists, gets, shows the status of and scans only the mirrors of a source the caller may read, as the reference's narrow policy has it", async () => {
    // The reference's narrower replication policy, for the readable source (mirror and namespace as placeholders filled in).
    await grant({
      id: 'ReplicationPolicy',
      statement: [
        { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
        {
          action: ['fs:ReadRepository', 'fs:ReadObject', 'fs:ListObjects', 'fs:ReadCommit', 'fs:ListCommits', 'fs:ReadBranch', 'fs:ListBranches'],
          effect: 'allow',
          resource: `arn:lakefs:fs:::repository/${readable}`,
        },
        { action: ['fs:ReadRepository', 'fs:CreateRepository', 'fs:DeleteRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${openMirror}` },
        { action: ['fs:AttachStorageNamespace'], effect: 'allow', resource: `arn:lakefs:fs:::namespace/s3://${env.regionB.bucket}/mirrors/${openMirror}` },
      ],
    });
    const listed = await call(`repositories/${readable}/mirrors`);
    expect(listed.status).toBe(200);
    expect((await bodyOf(listed)).results?.map((m) => m.id)).toEqual([openMirror]);
    for (const [path, init] of readCalls(readable, openMirror)) expect([path, await statusOf(path, init)]).toEqual([path, path.endsWith('scan') ? 202 : 200]);

    for (const [path, init] of readCalls(unreadable, secretMirror)) {
      const response = await call(path, init);
      expect([path, response.status]).toEqual([path, 403]);
      expect((await bodyOf(response)).message).toBe(`fs:ReadRepository on arn:lakefs:fs:::repository/${unreadable} is not allowed for user ${user}`);
    }
    // Not even whether a mirror exists: a missing one is refused the same way.
    expect(await statusOf(`repositories/${unreadable}/mirrors/no-such-mirror`)).toBe(403);

    const refusals = (await schema.db.getRepository(AuditRecordEntity).find({ where: { result: 'failure' }, order: { id: 'ASC' } })).filter(
      (a) => a.detail.status === 403,
    );
    expect(refusals.map((a) => [a.actor, a.action, a.target])).toEqual([
      [user, 'mirror.list', unreadable],
      [user, 'mirror.get', `${unreadable}/${secretMirror}`],
      [user, 'mirror.status', `${unreadable}/${secretMirror}`],
      [user, 'mirror.scan', `${unreadable}/${secretMirror}`],
      [user, 'mirror.get', `${unreadable}/no-such-mirror`],
    ]);
    expect(refusals[0].detail.missing).toEqual({ action: 'fs:ReadRepository', resource: `arn:lakefs:fs:::repository/${unreadable}`, decision: 'neutral' });
    expect(await auditOf('mirror.scan')).toEqual([
      expect.objectContaining({ actor: user, target: `${readable}/${openMirror}`, result: 'success' }),
      expect.objectContaining({ actor: user, target: `${unreadable}/${secretMirror}`, result: 'failure' }),
    ]);
  });

  it("reads every source under the reference's broad policy, and nothing without fs:ReadRepository", async () => {
    const broad = (actions: string[]): Policy => ({ id: 'ReplicationPolicy', statement: [{ action: actions, effect: 'allow', resource: '*' }] });
    await grant(broad(['fs:ReadRepository', 'fs:CreateRepository', 'fs:UpdateRepository', 'fs:DeleteRepository', 'fs:ListRepositories']));
    for (const [path, init] of [...readCalls(readable, openMirror), ...readCalls(unreadable, secretMirror)]) {
      expect([path, await statusOf(path, init)]).toEqual([path, path.endsWith('scan') ? 202 : 200]);
    }
    await grant(broad(['fs:ListRepositories', 'fs:ReadObject', 'fs:ListObjects']));
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(403);
  });

  it("applies a statement with a condition only where it holds: the client's address, never a header it sends", async () => {
    const onlyFrom = (block: string): Policy => ({
      id: 'from-network',
      statement: [{ action: ['fs:ListRepositories', 'fs:ReadRepository'], effect: 'allow', resource: '*', condition: { IpAddress: { SourceIp: [block] } } }],
    });
    await grant(onlyFrom('127.0.0.0/8'));
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(200);
    await grant(onlyFrom('10.0.0.0/8'));
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(403);
    // The test client is no trusted proxy: its X-Forwarded-For does not change who it is.
    expect(await statusOf(`repositories/${readable}/mirrors`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).toBe(403);

    const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
    const denyOutside = (block: string): Policy => ({
      id: 'deny-outside',
      statement: [{ action: ['fs:*'], effect: 'deny', resource: '*', condition: { NotIpAddress: { SourceIp: [block] } } }],
    });
    await grant(everything, denyOutside('127.0.0.0/8'));
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(200);
    await grant(everything, denyOutside('10.0.0.0/8'));
    const denied = await call(`repositories/${readable}/mirrors`);
    expect(denied.status).toBe(403);
    expect((await bodyOf(denied)).message).toBe(`fs:ListRepositories on * is denied for user ${user}`);
  });

  it('denies the whole check when a stored policy has a resource list lakeFS cannot parse or a condition it cannot evaluate', async () => {
    const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
    const unrelated = (statement: Policy['statement'][number]): Policy => ({ id: 'unrelated', statement: [statement] });
    await grant(everything, unrelated({ action: ['fs:DeleteRepository'], effect: 'deny', resource: '["arn:lakefs:fs:::repository/x", oops]' }));
    const denied = await call(`repositories/${readable}/mirrors`);
    expect(denied.status).toBe(403);
    expect((await bodyOf(denied)).message).toBe(`fs:ListRepositories on * is denied for user ${user}`);
    const [refusal] = (await auditOf('mirror.list')).slice(-1);
    expect(refusal.detail.missing).toMatchObject({ decision: 'deny', cause: { policy: 'unrelated', statement: 0, problem: 'malformed resource' } });

    await grant(
      everything,
      unrelated({ action: ['fs:DeleteRepository'], effect: 'allow', resource: '*', condition: { DateLessThan: { CurrentTime: ['2030-01-01'] } } }),
    );
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(403);
    await grant(everything);
    expect(await statusOf(`repositories/${readable}/mirrors`)).toBe(200);
  });

  it('refuses, when written, unknown actions, bad ARNs and conditions it cannot evaluate, naming statement and field; and audits each attempt', async () => {
    const put = (document: object, on = adminApi) => call('admin/policies/p1', { method: 'PUT', body: JSON.stringify({ id: 'p1', ...document }) }, on);
    const refused = await put({
      statement: [
        { action: ['fs:ReadRepository', 'fs:ReadRepo'], effect: 'allow', resource: '*' },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: 'arn:lakefs:fs:::repo/sales' },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: '["arn:lakefs:fs:::repository/a", oops]' },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: '*', condition: { DateLessThan: { CurrentTime: ['2030-01-01'] } } },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: '*', condition: { IpAddress: { SourceIp: ['10.0.0.0/33'] } } },
      ],
    });
    expect(refused.status).toBe(400);
    const body = await bodyOf(refused);
    expect(Object.keys(body.errors ?? {})).toEqual([
      'statement.0.action.1',
      'statement.1.resource',
      'statement.2.resource',
      'statement.3.condition.DateLessThan',
      'statement.4.condition.IpAddress.SourceIp',
    ]);
    expect(body.message).toContain('statement.0.action.1: unknown action "fs:ReadRepo"');
    const capitalised = await put({
      statement: [{ action: ['fs:ReadRepository'], effect: 'allow', resource: '*', Condition: { IpAddress: { SourceIp: ['10.0.0.0/8'] } } }],
    });
    expect(capitalised.status).toBe(400);
    expect(Object.keys((await bodyOf(capitalised)).errors ?? {})).toEqual(['statement.0']);

    const conditional = {
      statement: [{ action: ['fs:ReadRepository'], effect: 'allow', resource: '*', condition: { IpAddress: { SourceIp: ['127.0.0.0/8'] } } }],
    };
    expect((await put(conditional)).status).toBe(200);
    expect(await (await call('admin/policies/p1', {}, adminApi)).json()).toEqual({ id: 'p1', ...conditional });
    expect((await put(conditional, api)).status).toBe(403);

    expect((await auditOf('policy.put')).map((a) => [a.result, a.detail.status])).toEqual([
      ['failure', 400],
      ['failure', 400],
      ['success', undefined],
      ['failure', 403],
    ]);
  });
});
