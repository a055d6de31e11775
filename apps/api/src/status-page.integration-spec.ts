import { AuditRecordEntity, PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';

// The status page's authentication and authorization over real HTTP: the same basic credentials
// as the API, fs:ListRepositories to open it, and only the mirrors of sources the caller may read.
describe('the status page', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; no admin on this API
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const readable = uniqueName('page-open');
  const unreadable = uniqueName('page-secret');
  const openMirror = `${readable}-eu`;
  const secretMirror = `${unreadable}-eu`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const page = (headers: Record<string, string> = { authorization: auth }) => fetch(`${api.url}/service/replication/v1/ui/status`, { headers });
  const grant = async (policy: Policy) => {
    await schema.db.getRepository(PolicyAttachmentEntity).clear();
    await schema.db.query('DELETE FROM policies');
    await schema.db.getRepository(PolicyEntity).save({ id: policy.id, document: policy });
    await schema.db.getRepository(PolicyAttachmentEntity).insert({ policyId: policy.id, principalType: 'user', principalId: user });
  };

  beforeAll(async () => {
    schema = await migratedSchema('lm_page');
    api = await startApi(schema.schema, { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') });
    for (const [id, source] of [
      [openMirror, readable],
      [secretMirror, unreadable],
    ]) {
      await schema.db.query(
        `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, 'active', 'someone')`,
        [id, source, `s3://${env.regionB.bucket}/mirrors/${id}`],
      );
    }
    await schema.db.query(`INSERT INTO branch_states (mirror_id, branch) VALUES ($1, 'main')`, [openMirror]);
  });
  afterAll(async () => {
    await api?.stop();
    await schema?.drop();
  });

  it('answers 401 with a basic challenge without credentials, as every API route', async () => {
    const response = await page({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="lakemirror"/);
  });

  it('shows only the mirrors of sources the caller may read, as strict HTML', async () => {
    await grant({
      id: 'read-one',
      statement: [
        { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${readable}` },
      ],
    });
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(body).toContain(`data-mirror="${openMirror}"`);
    expect(body).not.toContain(secretMirror);
    expect(body).not.toContain(unreadable);
    expect(body).not.toMatch(/<script/i);
  });

  it('refuses (403, audited) a caller who may not list repositories', async () => {
    await grant({ id: 'read-only', statement: [{ action: ['fs:ReadRepository'], effect: 'allow', resource: '*' }] });
    const response = await page();
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe(`fs:ListRepositories on * is not allowed for user ${user}`);
    const audit = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'status_page.get' } });
    expect(audit.map((a) => [a.actor, a.target, a.result])).toEqual([[user, '*', 'failure']]);
  });
});
