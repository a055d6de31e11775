import { AuditRecordEntity, PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { QueueName } from '@lakemirror/queues';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { Queue } from 'bullmq';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';

// POST .../mirrors/{mirror}/commits/{commit}/retry over HTTP: a failed commit goes back to a fresh
// verification (a new generation, its plan job in Redis), anything else is refused and audited.
describe('retry of a failed commit', () => {
  const env = testEnvironment();
  const key = env.config.source.lakefs.accessKeyId;
  const auth = { authorization: `Basic ${Buffer.from(`${key}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}` };
  const prefix = uniqueName('lmq');
  const mirror = 'sales-eu';
  const failed = 'f'.repeat(64);
  const recorded = 'a'.repeat(64);
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;
  let verifyQueue: Queue;

  const retry = (commit: string, source = 'sales', name = mirror) =>
    fetch(`${api.url}/service/replication/v1/repositories/${source}/mirrors/${name}/commits/${commit}/retry`, { method: 'POST', headers: auth });
  const grant = async (actions: string[]) => {
    await schema.db.query('DELETE FROM policy_attachments');
    await schema.db.query('DELETE FROM policies');
    const policy: Policy = { id: 'retry-test', statement: [{ action: actions, effect: 'allow', resource: '*' }] };
    await schema.db.getRepository(PolicyEntity).save({ id: policy.id, document: policy });
    await schema.db.getRepository(PolicyAttachmentEntity).insert({ policyId: policy.id, principalType: 'user', principalId: 'admin' });
  };
  const commitRow = async (commitId: string) =>
    (await schema.db.query(`SELECT state, generation, failure_reason, last_error, failed_at FROM mirror_commits WHERE commit_id = $1`, [commitId]))[0];

  beforeAll(async () => {
    schema = await migratedSchema('lm_retry');
    api = await startApi(schema.schema, { LAKEMIRROR_QUEUE_PREFIX: prefix });
    verifyQueue = new Queue(QueueName.CommitVerify, { connection: { url: env.config.redisUrl }, prefix });
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, 'sales', 'region-b', 's3://sales-mirror/sales', 'active', 'admin')`,
      [mirror],
    );
    const insert = `INSERT INTO mirror_commits (mirror_id, commit_id, parents, metarange_id, source_commit, creation_date, state, generation, failure_reason, last_error, failed_at)
      VALUES ($1, $2, '{}', '', '{}', 1700000000, $3, 2, $4, $5, $6)`;
    await schema.db.query(insert, [mirror, failed, 'failed', 'corrupt_metadata', 'unreadable metadata file (BAD_MAGIC)', new Date()]);
    await schema.db.query(insert, [mirror, recorded, 'recorded', null, null, null]);
  });
  afterAll(async () => {
    await verifyQueue?.close();
    await api?.stop();
    await schema?.drop();
  });

  it('403 without fs:MirrorRepository on the source, even with what scanning needs', async () => {
    await grant(['fs:ListRepositories', 'fs:ReadRepository']);
    const response = await retry(failed);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toContain('fs:MirrorRepository');
    expect(await commitRow(failed)).toMatchObject({ state: 'failed', generation: 2 });
  });

  it('202: plans the failed commit again in a new generation, its failure cleared', async () => {
    await grant(['fs:ListRepositories', 'fs:ReadRepository', 'fs:MirrorRepository']);
    const response = await retry(failed);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ message: `commit ${failed} planned again`, commit_id: failed, generation: 3 });
    expect(await commitRow(failed)).toEqual({ state: 'pending', generation: 3, failure_reason: null, last_error: null, failed_at: null });
    const job = await verifyQueue.getJob(`plan-${mirror}-${failed}-g3`);
    expect(job?.data).toEqual({ mirrorId: mirror, commitId: failed, generation: 3 });
  });

  it('409 for a commit that is not failed, 404 for an unknown commit or mirror, 400 for a malformed ID', async () => {
    const again = await retry(failed);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toBe(
      `commit "${failed}" of mirror "${mirror}" is pending: only a failed commit can be retried`,
    );
    expect((await retry(recorded)).status).toBe(409);
    expect((await retry('b'.repeat(64))).status).toBe(404);
    expect((await retry(failed, 'sales', 'nope-eu')).status).toBe(404);
    expect((await retry(failed, 'other', mirror)).status).toBe(404);
    expect((await retry('NOT_AN_ID')).status).toBe(400);
    expect(await commitRow(recorded)).toMatchObject({ state: 'recorded', generation: 2 });
  });

  it('audits every retry, successful or not', async () => {
    const audit = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'commit.retry' }, order: { id: 'ASC' } });
    const results = audit.map((a) => [a.actor, a.target, a.result, a.detail.status]);
    expect(results).toEqual(
      expect.arrayContaining([
        ['admin', `sales/${mirror}/${failed}`, 'success', undefined],
        ['admin', `sales/${mirror}/${failed}`, 'failure', 409],
        ['admin', `sales/${mirror}/${recorded}`, 'failure', 409],
        ['admin', `sales/${mirror}/${'b'.repeat(64)}`, 'failure', 404],
        ['admin', `sales/nope-eu/${failed}`, 'failure', 404],
      ]),
    );
  });
});
