import { AuditRecordEntity, PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { AuditReport, AuditSummary, MirrorStatus } from '@lakemirror/pipeline';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';

// Starting a consistency audit through the API alone (no verifier runs, so it stays queued):
// who may start one, one active audit per mirror, its report and the status's last_audit.
describe('consistency audits over the API', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; not an admin of this API
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const source = uniqueName('audit-src');
  const mirror = `${source}-eu`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api.url}/service/replication/v1/repositories/${source}/mirrors/${path}`, { ...init, headers: { authorization: auth } });
  const grant = async (policy: Policy) => {
    await schema.db.getRepository(PolicyAttachmentEntity).clear();
    await schema.db.query('DELETE FROM policies');
    await schema.db.getRepository(PolicyEntity).save({ id: policy.id, document: policy });
    await schema.db.getRepository(PolicyAttachmentEntity).insert({ policyId: policy.id, principalType: 'user', principalId: user });
  };
  const reader = (extra: Policy['statement'] = []): Policy => ({
    id: 'reader',
    statement: [
      { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
      { action: ['fs:ReadRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${source}` },
      ...extra,
    ],
  });

  beforeAll(async () => {
    schema = await migratedSchema('lm_audit_api');
    api = await startApi(schema.schema, { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') });
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'someone')`,
      [mirror, source, `s3://${env.regionB.bucket}/mirrors/${source}`],
    );
  });
  afterAll(async () => {
    await api?.stop();
    await schema?.drop();
  });

  it('needs fs:AuditMirror on the mirror repository to start an audit, and records the refusal', async () => {
    await grant(reader());
    const refused = await call(`${mirror}/audit`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: `fs:AuditMirror on arn:lakefs:fs:::repository/${mirror} is not allowed for user ${user}` });
    expect(await schema.db.getRepository(AuditRecordEntity).findBy({ action: 'mirror.audit' })).toEqual([
      expect.objectContaining({ target: `${source}/${mirror}`, result: 'failure' }),
    ]);
  });

  it('starts one audit per mirror at a time, shown in the status and readable as a report', async () => {
    await grant(reader([{ action: ['fs:AuditMirror'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${source}-*` }]));
    const first = await call(`${mirror}/audit`, { method: 'POST' });
    expect(first.status).toBe(202);
    const started = (await first.json()) as { audit_id: string; created: boolean; audit: AuditSummary };
    expect(started).toMatchObject({ created: true, audit: { state: 'queued', requested_by: user, result: null } });
    expect(first.headers.get('location')).toBe(`/service/replication/v1/repositories/${source}/mirrors/${mirror}/audits/${started.audit_id}`);

    const again = (await (await call(`${mirror}/audit`, { method: 'POST' })).json()) as { audit_id: string; created: boolean };
    expect(again).toMatchObject({ audit_id: started.audit_id, created: false });

    const report = (await (await call(`${mirror}/audits/${started.audit_id}`)).json()) as AuditReport;
    expect(report).toMatchObject({ audit_id: started.audit_id, mirror, state: 'queued', commits: [], missing: [], missing_truncated: false });
    const status = (await (await call(`${mirror}/status`)).json()) as MirrorStatus;
    expect(status.last_audit).toMatchObject({ audit_id: started.audit_id, state: 'queued' });
    expect(await schema.db.getRepository(AuditRecordEntity).findBy({ action: 'mirror.audit', result: 'success' })).toHaveLength(2);
  });

  it('answers 404 for an unknown mirror or audit and 400 naming the audit for a malformed ID', async () => {
    // A name the policy covers: authorization comes first, as for every call.
    expect((await call(`${source}-nope/audit`, { method: 'POST' })).status).toBe(404);
    expect((await call(`${mirror}/audits/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const malformed = await call(`${mirror}/audits/latest`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: { audit: 'must be a UUID' } });
  });
});
