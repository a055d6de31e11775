import { execFileSync } from 'node:child_process';
import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { AuditRecordEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi, grantPolicies } from './api-process.fixture';

interface ApiBody {
  message: string;
  errors: Record<string, string>;
  results: { id: string }[];
  [field: string]: unknown;
}
const bodyOf = async (response: Response): Promise<ApiBody> => (await response.json()) as ApiBody;

// The replication API end to end, over HTTP, against the real source and destination lakeFS.
describe('replication API', () => {
  const env = testEnvironment();
  const key = env.config.source.lakefs.accessKeyId;
  const secret = env.config.source.lakefs.secretAccessKey.reveal();
  const auth = { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
  const repo = uniqueName('api-src');
  const mirror = `${repo}-eu`;
  const namespace = `s3://${env.regionB.bucket}/mirrors/${repo}`;
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const grant = (...policies: Policy[]) => grantPolicies(schema.db, 'admin', ...policies);
  const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api.url}/service/replication/v1/repositories/${path}`, {
      ...init,
      headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const create = (body: unknown, source = repo) => call(`${source}/mirrors`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const mirrorsOf = async (source = repo) => (await bodyOf(await call(`${source}/mirrors`))).results as { id: string }[];

  beforeAll(async () => {
    schema = await migratedSchema();
    api = await startApi(schema.schema);
    await env.source.lakefs.createRepository({ name: repo, storage_namespace: `s3://${env.source.bucket}/mirrors/${repo}`, default_branch: 'production' });
  });
  afterAll(async () => {
    await api?.stop();
    await env.source.lakefs.deleteRepository(repo).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
    await schema?.drop();
  });

  it('serves the reference curl requests as written, with only the host changed', async () => {
    // The policies of the reference are the replication user's; the RBAC table also asks for fs:MirrorRepository on the source,
    // and reading mirrors fs:ReadRepository on it (which both of the reference's policies grant).
    await grant({
      id: 'ReplicationPolicy',
      statement: [
        { action: ['fs:ListRepositories', 'fs:CreateRepository', 'fs:DeleteRepository', 'fs:AttachStorageNamespace'], effect: 'allow', resource: '*' },
        { action: ['fs:MirrorRepository', 'fs:ReadRepository'], effect: 'allow', resource: `arn:lakefs:fs:::repository/${repo}` },
      ],
    });
    const base = `${api.url}/service/replication/v1/repositories/${repo}/mirrors`;
    // Body, then the status on a line of its own.
    const curl = (...args: string[]): [string, string] => {
      const lines = execFileSync('curl', ['-s', '-w', '\\n%{http_code}', ...args], { encoding: 'utf8' }).split('\n');
      return [lines.slice(0, -1).join('\n'), lines[lines.length - 1]];
    };

    const [created, createdStatus] = curl(
      '--location',
      base,
      '--header',
      'Content-Type: application/json',
      '-u',
      `${key}:${secret}`,
      '-X',
      'POST',
      '--data',
      JSON.stringify({ name: mirror, region: 'region-b', storage_namespace: namespace }),
    );
    expect(createdStatus).toBe('201');
    expect(JSON.parse(created)).toMatchObject({
      id: mirror,
      name: mirror,
      source_repository: repo,
      region: 'region-b',
      storage_namespace: namespace,
      state: 'active',
      created_by: 'admin',
    });

    const onDestination = await env.regionB.lakefs.getRepository(mirror);
    expect(onDestination).toMatchObject({ id: mirror, storage_namespace: namespace, read_only: true, default_branch: 'production' });
    expect(await collect(env.regionB.lakefs.listBranches(mirror))).toEqual([]); // bare

    const [listed, listedStatus] = curl('--location', base, '-u', `${key}:${secret}`, '-s');
    expect(listedStatus).toBe('200');
    expect(JSON.parse(listed).results.map((m: { id: string }) => m.id)).toEqual([mirror]);

    const [got, gotStatus] = curl('--location', `${base}/${mirror}`, '-u', `${key}:${secret}`, '-s');
    expect(gotStatus).toBe('200');
    expect(JSON.parse(got)).toMatchObject({ id: mirror, state: 'active' });

    const [, deletedStatus] = curl('--location', '--request', 'DELETE', `${base}/${mirror}`, '-u', `${key}:${secret}`);
    expect(deletedStatus).toBe('204');
    await waitFor('the mirror repository to be deleted', () =>
      env.regionB.lakefs.getRepository(mirror).then(
        () => false,
        (e: unknown) => e instanceof LakefsNotFoundError,
      ),
    );
    expect(await mirrorsOf()).toEqual([]);
    const audit = await schema.db.getRepository(AuditRecordEntity).find({ order: { id: 'ASC' } });
    expect(audit.map((a) => [a.actor, a.action, a.target, a.result])).toEqual([
      ['admin', 'mirror.create', `${repo}/${mirror}`, 'success'],
      ['admin', 'mirror.delete', `${repo}/${mirror}`, 'success'],
    ]);
  });

  it('serves readiness (its status) and OpenAPI docs without credentials, metrics only with them', async () => {
    const ready = await fetch(`${api.url}/service/replication/v1/health`);
    expect(ready.status).toBe(200);
    expect(await bodyOf(ready)).toEqual({ status: 'ok' });
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const openapi = (await (await fetch(`${api.url}/service/replication/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/service/replication/v1/repositories/{repository}/mirrors',
        '/service/replication/v1/repositories/{repository}/mirrors/{mirror}',
      ]),
    );
  });

  it('creates idempotently: the same request again returns the same mirror', async () => {
    await grant(everything);
    const body = { name: mirror, region: 'region-b', storage_namespace: namespace };
    const first = await create(body);
    const second = await create(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(await bodyOf(second)).toEqual(await bodyOf(first));
    expect((await call(`${repo}/mirrors/${mirror}`, { method: 'DELETE' })).status).toBe(204);
  });

  describe('refusals, each with a status and a message, changing nothing', () => {
    beforeAll(() => grant(everything));
    const mirrorIsAbsent = () =>
      env.regionB.lakefs.getRepository(mirror).then(
        () => false,
        (e: unknown) => e instanceof LakefsNotFoundError,
      );
    // lakeFS caches repositories for a few seconds: wait for an earlier test's deletion to show.
    beforeAll(() => waitFor('no mirror repository on the destination', mirrorIsAbsent));
    afterEach(async () => {
      expect(await mirrorsOf()).toEqual([]);
      expect(await mirrorIsAbsent()).toBe(true);
    });

    it('401 with WWW-Authenticate without credentials or with wrong ones', async () => {
      for (const headers of [{}, { authorization: `Basic ${Buffer.from(`${key}:wrong-secret`).toString('base64')}` }, { authorization: 'Bearer x' }] as Record<
        string,
        string
      >[]) {
        const response = await fetch(`${api.url}/service/replication/v1/repositories/${repo}/mirrors`, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('Basic realm="lakemirror"');
        expect((await bodyOf(response)).message).toMatch(/credentials|authentication/);
      }
    });

    it('400 naming each bad field', async () => {
      const response = await create({ name: 'X', region: 7, storage_namespace: 'gs://bucket/x', extra: true });
      expect(response.status).toBe(400);
      const body = await bodyOf(response);
      expect(Object.keys(body.errors).sort()).toEqual(['extra', 'name', 'region', 'storage_namespace']);
      expect(body.errors.storage_namespace).toContain('must start with s3://');
      expect((await create({})).status).toBe(400);
      expect((await create([1, 2])).status).toBe(400);
    });

    it('400 naming the configured regions for an unknown region', async () => {
      const response = await create({ name: mirror, region: 'mars-1', storage_namespace: namespace });
      expect(response.status).toBe(400);
      const configured = env.config.regions.map((r) => r.name).join(', ');
      expect((await bodyOf(response)).message).toBe(`unknown region "mars-1"; configured regions: ${configured}`);
    });

    it('400 for a namespace outside the storage namespaces of the region', async () => {
      const response = await create({ name: mirror, region: 'region-b', storage_namespace: 's3://no-such-bucket-here/x' });
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).message).toContain(`is outside the storage namespaces allowed in region region-b: s3://${env.regionB.bucket}/mirrors/`);
    });

    it('404 for a missing source repository and a missing mirror', async () => {
      const response = await create({ name: mirror, region: 'region-b', storage_namespace: namespace }, 'no-such-source');
      expect(response.status).toBe(404);
      expect((await bodyOf(response)).message).toBe('source repository "no-such-source" not found');
      expect((await call(`${repo}/mirrors/not-there`)).status).toBe(404);
      expect((await call(`${repo}/mirrors/not-there`, { method: 'DELETE' })).status).toBe(404);
    });

    it('409 for a name already taken', async () => {
      const other = uniqueName('api-other');
      await env.regionB.lakefs.createRepository({ name: `${other}-taken`, storage_namespace: `s3://${env.regionB.bucket}/taken/${other}` });
      try {
        const response = await create({ name: `${other}-taken`, region: 'region-b', storage_namespace: namespace });
        expect(response.status).toBe(409);
        expect((await bodyOf(response)).message).toContain('already exists on region region-b');
      } finally {
        await env.regionB.lakefs.deleteRepository(`${other}-taken`);
      }
    });

    it('403 naming the missing action and resource', async () => {
      await grant({ id: 'read-only', statement: [{ action: ['fs:ListRepositories'], effect: 'allow', resource: '*' }] });
      try {
        const response = await create({ name: mirror, region: 'region-b', storage_namespace: namespace });
        expect(response.status).toBe(403);
        expect((await bodyOf(response)).message).toBe(`fs:CreateRepository on arn:lakefs:fs:::repository/${mirror} is not allowed for user admin`);
        await grant({
          id: 'deny',
          statement: [
            { action: ['fs:*'], effect: 'allow', resource: '*' },
            { action: ['fs:MirrorRepository'], effect: 'deny', resource: '*' },
          ],
        });
        const denied = await create({ name: mirror, region: 'region-b', storage_namespace: namespace });
        expect(denied.status).toBe(403);
        expect((await bodyOf(denied)).message).toBe(`fs:MirrorRepository on arn:lakefs:fs:::repository/${repo} is denied for user admin`);
      } finally {
        await grant(everything);
      }
    });

    it('4xx for malformed JSON, oversized bodies, bad names and path traversal', async () => {
      const malformed = await create('{"name": ');
      expect(malformed.status).toBe(400);
      expect((await bodyOf(malformed)).message).toBe('request body is not valid JSON: Unexpected end of JSON input');
      const huge = await create({ name: mirror, region: 'region-b', storage_namespace: namespace, padding: 'x'.repeat(100_000) });
      expect(huge.status).toBe(413);
      expect((await bodyOf(huge)).message).toBe('request body too large');
      for (const name of ['ab', 'Upper', '-leading', 'has_underscore', 'x'.repeat(64), '../etc']) {
        expect((await create({ name, region: 'region-b', storage_namespace: namespace })).status).toBe(400);
      }
      for (const path of [`..%2F..%2Fadmin/mirrors`, `${repo}/mirrors/..%2F..%2Fx`, `A_B/mirrors`]) {
        const response = await call(path);
        expect(response.status).toBe(400);
        expect((await bodyOf(response)).message).toContain('is not a valid repository ID');
      }
    });
  });
});
