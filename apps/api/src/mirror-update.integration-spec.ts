import { AuditRecordEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi, grantPolicies } from './api-process.fixture';

interface ApiBody {
  message: string;
  errors?: Record<string, string>;
  branches?: { include: string[]; exclude: string[] };
}

// The mirror update (PATCH) and branch filters over HTTP, against real PostgreSQL and the real
// source and destination lakeFS: who may call it, what it answers, what the audit log keeps,
// and how the OpenAPI document describes it. The pipeline's side is apps/e2e branch-filters.
describe('mirror update', () => {
  const env = testEnvironment();
  const user = 'admin'; // the lakeFS user behind the environment's key; no admin on this API
  const auth = `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`;
  const repo = uniqueName('upd-src');
  const mirror = `${repo}-m`;
  const namespace = `s3://${env.regionB.bucket}/mirrors/${repo}`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api.url}/service/replication/v1/repositories/${repo}/mirrors${path}`, {
      ...init,
      headers: { authorization: auth, 'content-type': 'application/json' },
    });
  const patch = (body: unknown, id = mirror) => call(`/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
  const create = (body: Record<string, unknown>) =>
    call('', { method: 'POST', body: JSON.stringify({ name: mirror, region: 'region-b', storage_namespace: namespace, ...body }) });
  const bodyOf = async (response: Response) => (await response.json()) as ApiBody;
  const grant = (...policies: Policy[]) => grantPolicies(schema.db, user, ...policies);
  const readOnly: Policy = {
    id: 'read-only',
    statement: [
      { action: ['fs:ListRepositories'], effect: 'allow', resource: '*' },
      { action: ['fs:ReadRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${repo}` },
    ],
  };
  const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };

  beforeAll(async () => {
    schema = await migratedSchema('lm_update');
    api = await startApi(schema.schema, { LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq') });
    await env.source.lakefs.createRepository({ name: repo, storage_namespace: `s3://${env.source.bucket}/mirrors/${repo}`, default_branch: 'main' });
  });
  afterAll(async () => {
    await api?.stop();
    await env.source.lakefs.deleteRepository(repo).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    await schema?.drop();
  });

  it('creates a mirror with a branch filter and shows it; every mirror shows one', async () => {
    await grant(everything);
    const created = await create({ branches: { include: ['main', 'release-*'], exclude: ['release-old*'] } });
    expect(created.status).toBe(201);
    expect((await bodyOf(created)).branches).toEqual({ include: ['main', 'release-*'], exclude: ['release-old*'] });
    const [row] = await schema.db.query(`SELECT branch_include, branch_exclude FROM mirrors WHERE id = $1`, [mirror]);
    expect(row).toEqual({ branch_include: ['main', 'release-*'], branch_exclude: ['release-old*'] });
  });

  it('answers a repeated create with the mirror, unless it asks for another filter', async () => {
    expect((await create({})).status).toBe(200);
    expect((await create({ branches: { include: ['main', 'release-*'], exclude: ['release-old*'] } })).status).toBe(200);
    const other = await create({ branches: { include: ['*'] } });
    expect(other.status).toBe(409);
    expect((await bodyOf(other)).message).toBe(`mirror "${mirror}" exists with another branch filter: change it with PATCH`);
  });

  it('403 naming fs:MirrorRepository for who may only read the source, audited, changing nothing', async () => {
    await grant(readOnly);
    const response = await patch({ branches: { include: ['*'] } });
    expect(response.status).toBe(403);
    expect((await bodyOf(response)).message).toBe(`fs:MirrorRepository on arn:lakefs:fs:::repository/${repo} is not allowed for user ${user}`);
    const audit = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'mirror.update' }, order: { id: 'ASC' } });
    expect(audit.map((a) => [a.actor, a.target, a.result])).toEqual([[user, `${repo}/${mirror}`, 'failure']]);
    expect((await bodyOf(await call(`/${mirror}`))).branches).toEqual({ include: ['main', 'release-*'], exclude: ['release-old*'] });
  });

  it('changes the filter, keeping a list the request leaves out, and returns the mirror; audited with the request', async () => {
    await grant(everything);
    const response = await patch({ branches: { include: ['main', 'dev'] }, unfollowed_branches: 'delete' });
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toMatchObject({ id: mirror, state: 'active', branches: { include: ['main', 'dev'], exclude: ['release-old*'] } });
    const [last] = await schema.db.getRepository(AuditRecordEntity).find({ where: { action: 'mirror.update' }, order: { id: 'DESC' }, take: 1 });
    expect(last).toMatchObject({ result: 'success', detail: { branches: { include: ['main', 'dev'] }, unfollowed_branches: 'delete' } });
  });

  it('400 naming the field for a bad pattern or an unknown field, before anything else', async () => {
    const bad = await patch({ branches: { include: ['main', '[abc'] } });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).errors).toEqual({ 'branches.include.1': 'is not a valid branch pattern: unclosed "[" at position 0' });
    const unknown = await patch({ branches: { include: ['main'], excludes: ['x'] } });
    expect(unknown.status).toBe(400);
    expect((await bodyOf(unknown)).errors).toEqual({ 'branches.excludes': 'is not a known field' });
    const created = await create({ branches: { exclude: [7] } });
    expect(created.status).toBe(400);
    expect((await bodyOf(created)).errors).toEqual({ 'branches.exclude.0': 'must be a string' });
  });

  it('404 for an unknown mirror, 409 for a mirror being deleted', async () => {
    expect((await patch({ branches: { include: ['*'] } }, 'no-such-mirror')).status).toBe(404);
    await schema.db.query(`UPDATE mirrors SET state = 'deleting' WHERE id = $1`, [mirror]);
    const deleting = await patch({ branches: { include: ['*'] } });
    expect(deleting.status).toBe(409);
    expect((await bodyOf(deleting)).message).toBe(`mirror "${mirror}" is being created or deleted: its branch filter cannot change now`);
    await schema.db.query(`UPDATE mirrors SET state = 'active' WHERE id = $1`, [mirror]);
  });

  it('is described in the OpenAPI document', async () => {
    const openapi = (await (await fetch(`${api.url}/service/replication/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>;
    };
    const operation = openapi.paths['/service/replication/v1/repositories/{repository}/mirrors/{mirror}'].patch;
    expect(Object.keys(operation.requestBody?.content['application/json'].schema.properties ?? {})).toEqual(
      expect.arrayContaining(['branches', 'unfollowed_branches']),
    );
    const creation = openapi.paths['/service/replication/v1/repositories/{repository}/mirrors'].post;
    expect(Object.keys(creation.requestBody?.content['application/json'].schema.properties ?? {})).toContain('branches');
  });
});
