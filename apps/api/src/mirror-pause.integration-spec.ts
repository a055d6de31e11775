import { AuditRecordEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi, grantPolicies } from './api-process.fixture';

interface Answer {
  message: string;
  errors?: Record<string, string>;
  [field: string]: unknown;
}

// Pause, resume and the freshness check over HTTP against real PostgreSQL and the source lakeFS
// (who the key belongs to), on mirror rows of the test's own: who may call them, what they
// answer for mirrors that are not there, idempotency, the audit log, and a mirror's limit.
describe('pause, resume and freshness (API)', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; not a lakemirror admin here
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const source = uniqueName('pause-src');
  const mirror = `${source}-m`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const call = async (path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: Answer }> => {
    const response = await fetch(`${api.url}/service/replication/v1/repositories/${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const grant = (...policies: Policy[]) => grantPolicies(schema.db, user, ...policies);
  const allowAll = () => grant({ id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] });
  const insertMirror = (id: string, state: string) =>
    schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, 'region-b', $3, $4, 'someone')`,
      [id, source, `s3://${env.regionB.bucket}/mirrors/${id}`, state],
    );
  const audited = async (action: string) =>
    (await schema.db.getRepository(AuditRecordEntity).find({ where: { action }, order: { id: 'ASC' } })).map((a) => [a.actor, a.target, a.result]);

  beforeAll(async () => {
    schema = await migratedSchema('lm_pause');
    api = await startApi(schema.schema, { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') });
    await insertMirror(mirror, 'active');
    await schema.db.query(
      `INSERT INTO branch_states (mirror_id, branch, source_head, observed_sequence, mirrored_head, mirrored_sequence) VALUES ($1, 'main', 'c1', 1, 'c1', 1)`,
      [mirror],
    );
  });
  afterAll(async () => {
    await api?.stop();
    await schema?.drop();
  });

  it('pauses and resumes a mirror, each idempotent and audited, and shows it on the mirror', async () => {
    await allowAll();
    const paused = await call(`${source}/mirrors/${mirror}/pause`, 'POST');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id: mirror, paused: true, paused_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const again = await call(`${source}/mirrors/${mirror}/pause`, 'POST');
    expect(again.status).toBe(200);
    // A second pause keeps the time of the first.
    expect(again.body.paused_at).toBe(paused.body.paused_at);
    expect((await call(`${source}/mirrors/${mirror}`)).body).toMatchObject({ paused: true, paused_at: paused.body.paused_at });

    for (let i = 0; i < 2; i++) {
      const resumed = await call(`${source}/mirrors/${mirror}/resume`, 'POST');
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ id: mirror, paused: false, paused_at: null });
    }
    expect(await audited('mirror.pause')).toEqual([
      [user, `${source}/${mirror}`, 'success'],
      [user, `${source}/${mirror}`, 'success'],
    ]);
    expect(await audited('mirror.resume')).toEqual([
      [user, `${source}/${mirror}`, 'success'],
      [user, `${source}/${mirror}`, 'success'],
    ]);
  });

  it('404 naming the mirror for an unknown mirror or one being deleted, 409 for one being created', async () => {
    await allowAll();
    const deleting = `${source}-gone`;
    const creating = `${source}-new`;
    await insertMirror(deleting, 'deleting');
    await insertMirror(creating, 'creating');
    for (const action of ['pause', 'resume']) {
      for (const id of ['no-such-mirror', deleting]) {
        const answer = await call(`${source}/mirrors/${id}/${action}`, 'POST');
        expect([action, id, answer.status, answer.body.message]).toEqual([action, id, 404, `mirror "${id}" of repository "${source}" not found`]);
      }
      const answer = await call(`${source}/mirrors/${creating}/${action}`, 'POST');
      expect([action, answer.status, answer.body.message]).toEqual([action, 409, `mirror "${creating}" of repository "${source}" is still being created`]);
    }
    // Of another source repository, the mirror is unknown.
    expect((await call(`other-repository/mirrors/${mirror}/pause`, 'POST')).status).toBe(404);
    const failed = (await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'mirror.pause', result: 'failure' } })).map((a) => a.target);
    expect(failed).toEqual(expect.arrayContaining([`${source}/no-such-mirror`, `${source}/${deleting}`, `${source}/${creating}`]));
  });

  it('needs fs:MirrorRepository on the source besides reading it, and audits the refusal', async () => {
    await grant({
      id: 'read-only',
      statement: [
        { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
        { action: ['fs:ReadRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${source}` },
      ],
    });
    for (const action of ['pause', 'resume']) {
      const refused = await call(`${source}/mirrors/${mirror}/${action}`, 'POST');
      expect([action, refused.status, refused.body.message]).toEqual([
        action,
        403,
        `fs:MirrorRepository on arn:lakefs:fs:::repository/${source} is not allowed for user ${user}`,
      ]);
    }
    const refusals = await schema.db.getRepository(AuditRecordEntity).find({ where: { result: 'failure' }, order: { id: 'DESC' }, take: 2 });
    expect(refusals.map((a) => [a.action, a.target, a.detail.status])).toEqual([
      ['mirror.resume', `${source}/${mirror}`, 403],
      ['mirror.pause', `${source}/${mirror}`, 403],
    ]);
    // Reading the source is enough for the freshness check.
    expect((await call(`${source}/mirrors/${mirror}/branches/main/freshness`)).status).toBe(200);
  });

  it("answers the freshness of a branch by the mirror's max_lag_seconds", async () => {
    await allowAll();
    await schema.db.query(`UPDATE mirrors SET max_lag_seconds = NULL, paused_at = NULL WHERE id = $1`, [mirror]);
    const unlimited = await call(`${source}/mirrors/${mirror}/branches/main/freshness`);
    expect(unlimited.status).toBe(200);
    expect(unlimited.body).toMatchObject({ mirror, branch: 'main', stale: false, stale_reason: null, lag_seconds: 0, lag_commits: 0, max_lag_seconds: null });

    await schema.db.query(`UPDATE mirrors SET max_lag_seconds = 60 WHERE id = $1`, [mirror]);
    const fresh = await call(`${source}/mirrors/${mirror}/branches/main/freshness`);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ stale: false, max_lag_seconds: 60, paused: false, source_head: 'c1', mirrored_head: 'c1' });

    // Paused for longer than the limit: commits since the pause are unknown, so it cannot be vouched for.
    await schema.db.query(`UPDATE mirrors SET paused_at = now() - interval '120 seconds' WHERE id = $1`, [mirror]);
    const stale = await call(`${source}/mirrors/${mirror}/branches/main/freshness`);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ stale: true, stale_reason: 'paused', paused: true, max_lag_seconds: 60 });
    expect(stale.body.message).toMatch(
      new RegExp(`^branch "main" of mirror "${mirror}" is stale: the mirror has been paused for 1\\d\\d s, longer than max_lag_seconds 60`),
    );
    await schema.db.query(`UPDATE mirrors SET paused_at = NULL WHERE id = $1`, [mirror]);
  });

  it('sets and removes the limit with a PATCH, audited as mirror.update', async () => {
    await allowAll();
    const set = await call(`${source}/mirrors/${mirror}`, 'PATCH', { max_lag_seconds: 30 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: mirror, max_lag_seconds: 30 });
    expect((await call(`${source}/mirrors/${mirror}/branches/main/freshness`)).body).toMatchObject({ max_lag_seconds: 30 });
    const refused = await call(`${source}/mirrors/${mirror}`, 'PATCH', { max_lag_seconds: 0 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual({ max_lag_seconds: 'must be at least 1' });
    const removed = await call(`${source}/mirrors/${mirror}`, 'PATCH', { max_lag_seconds: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ max_lag_seconds: null });
    const updates = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'mirror.update' }, order: { id: 'ASC' } });
    expect(updates.map((a) => [a.result, a.detail.max_lag_seconds])).toEqual([
      ['success', 30],
      ['success', null],
    ]);
  });

  it('404 for a branch the mirror does not have, 400 for a malformed branch name', async () => {
    await allowAll();
    const unknown = await call(`${source}/mirrors/${mirror}/branches/no-such-branch/freshness`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain(`branch "no-such-branch" of mirror "${mirror}" not found`);
    expect((await call(`${source}/mirrors/no-such-mirror/branches/main/freshness`)).status).toBe(404);
    const malformed = await call(`${source}/mirrors/${mirror}/branches/-main/freshness`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('branch "-main" is not a valid branch ID');
  });

  it('400 naming max_lag_seconds when a new mirror asks for a limit that is not a positive whole number of seconds', async () => {
    await allowAll();
    for (const value of [0, -5, 1.5, '60', 31_536_001]) {
      const answer = await call(`${source}/mirrors`, 'POST', {
        name: `${source}-lag`,
        region: 'region-b',
        storage_namespace: `s3://${env.regionB.bucket}/mirrors/${source}-lag`,
        max_lag_seconds: value,
      });
      expect([value, answer.status, Object.keys(answer.body.errors ?? {})]).toEqual([value, 400, ['max_lag_seconds']]);
    }
  });
});
