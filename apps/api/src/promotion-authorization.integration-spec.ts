import { AuditRecordEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi, grantPolicies } from './api-process.fixture';

// Promoting a mirror needs its own permission, fs:PromoteMirror on the mirror repository: no
// other grant (reading or mirroring the source, creating or deleting the repository) allows it,
// a deny beats it, and every refusal is audited. The permission check comes before the body's.
describe('authorization of a promotion (failover)', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; no admin on `api`
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const source = uniqueName('promote-authz');
  const mirror = `${source}-eu`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;
  let adminApi: ApiProcess;

  const promote = (body: unknown, on = api) =>
    fetch(`${on.url}/service/replication/v1/repositories/${source}/mirrors/${mirror}/promote`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const grant = (...policies: Policy[]) => grantPolicies(schema.db, user, ...policies);

  beforeAll(async () => {
    schema = await migratedSchema('lm_promote_authz');
    const queues = { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') };
    [api, adminApi] = await Promise.all([startApi(schema.schema, queues), startApi(schema.schema, { ...queues, LAKEMIRROR_ADMIN_USERS: user })]);
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'someone')`,
      [mirror, source, `s3://${env.regionB.bucket}/mirrors/${mirror}`],
    );
  });
  afterAll(async () => {
    await Promise.all([api?.stop(), adminApi?.stop()]);
    await schema?.drop();
  });

  it('refuses (403) without fs:PromoteMirror on the mirror, whatever else is granted, and audits it', async () => {
    await grant({
      id: 'EverythingButPromotion',
      statement: [
        { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
        {
          action: ['fs:ReadRepository', 'fs:MirrorRepository', 'fs:CreateRepository', 'fs:DeleteRepository', 'fs:AuditMirror'],
          effect: 'allow',
          resource: JSON.stringify([`arn:lakefs:fs:::repository/${source}`, `arn:lakefs:fs:::repository/${mirror}`]),
        },
        { action: ['fs:PromoteMirror'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${source}` },
      ],
    });
    const refused = await promote({ confirm: mirror });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(
      `fs:PromoteMirror on arn:lakefs:fs:::repository/${mirror} is not allowed for user ${user}`,
    );
    const audit = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'mirror.promote' } });
    expect(audit).toEqual([expect.objectContaining({ target: `${source}/${mirror}`, result: 'failure', detail: expect.objectContaining({ status: 403 }) })]);
    const [{ state }] = await schema.db.query(`SELECT state FROM mirrors WHERE id = $1`, [mirror]);
    expect(state).toBe('active');
  });

  it('lets fs:PromoteMirror on the mirror through to the body check, unless denied', async () => {
    const allow: Policy = { id: 'Promote', statement: [{ action: ['fs:PromoteMirror'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${mirror}` }] };
    await grant(allow);
    const unconfirmed = await promote({ confirm: 'not-this-mirror' });
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { errors: Record<string, string> }).errors).toHaveProperty('confirm');

    await grant(allow, { id: 'NoFailover', statement: [{ action: ['fs:Promote*'], effect: 'deny', resource: '*' }] });
    expect((await promote({ confirm: 'not-this-mirror' })).status).toBe(403);
  });

  it('accepts fs:PromoteMirror in policy documents, as one of the known actions', async () => {
    const put = await fetch(`${adminApi.url}/service/replication/v1/admin/policies/failover-operators`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'failover-operators',
        statement: [{ action: ['fs:PromoteMirror'], effect: 'allow', resource: 'arn:lakefs:fs:::repository/sales-*' }],
      }),
    });
    expect(put.status).toBe(200);
  });
});
