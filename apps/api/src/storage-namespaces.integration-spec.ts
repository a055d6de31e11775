import { LakefsNotFoundError } from '@lakemirror/lakefs-client';
import { MirrorEntity, PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import type { Policy } from '@lakemirror/policies';
import { testEnvironment } from '@lakemirror/test-environment';
import { runAppExpectingExit, uniqueName } from '@lakemirror/testing';
import { ApiProcess, migratedSchema, startApi } from './api-process.fixture';
import { MIRROR_MARKER_KEY, mirrorMarker } from './mirrors/mirror-ownership';

interface ApiBody {
  message: string;
  errors?: Record<string, string>;
  id?: string;
}

// Where a mirror may keep its objects, and which repositories a creation may adopt: over HTTP,
// against the real source and destination lakeFS, region B's MinIO and PostgreSQL.
describe('storage namespaces of mirrors', () => {
  const env = testEnvironment();
  const key = env.config.source.lakefs.accessKeyId;
  const secret = env.config.source.lakefs.secretAccessKey.reveal();
  const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  const bucketB = env.regionB.bucket;
  const root = `s3://${bucketB}/mirrors/`;
  const repo = uniqueName('ns-src');
  const sourceNamespace = `s3://${env.source.bucket}/mirrors/${repo}`;
  const destinationRepositories: string[] = [];
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let api: ApiProcess;

  const create = async (name: string, storageNamespace: string, on: ApiProcess = api, region = 'region-b') => {
    destinationRepositories.push(name);
    const response = await fetch(`${on.url}/service/replication/v1/repositories/${repo}/mirrors`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name, region, storage_namespace: storageNamespace }),
    });
    return { status: response.status, body: (await response.json()) as ApiBody };
  };
  const mirrorRow = (id: string) => schema.db.getRepository(MirrorEntity).findOneBy({ id });
  const repositoryOnDestination = (name: string) =>
    env.regionB.lakefs.getRepository(name).catch((error: unknown) => {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    });
  // A repository made on the destination lakeFS by someone else than lakemirror, as a mirror repository would be.
  const foreignRepository = async (name: string, storageNamespace: string) => {
    destinationRepositories.push(name);
    await env.regionB.lakefs.createRepository({ name, storage_namespace: storageNamespace, default_branch: 'main', read_only: true }, { bare: true });
    return env.regionB.lakefs.getRepository(name);
  };
  // What an earlier try of a creation leaves in PostgreSQL when it stops before finishing.
  const interruptedCreation = async (name: string, storageNamespace: string, createdAt?: Date) => {
    await schema.db.query(
      `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by, created_at)
       VALUES ($1, $2, 'region-b', $3, 'creating', 'admin', COALESCE($4, now()))`,
      [name, repo, storageNamespace, createdAt ?? null],
    );
    return (await mirrorRow(name)) as MirrorEntity;
  };

  beforeAll(async () => {
    schema = await migratedSchema();
    const everything: Policy = { id: 'everything', statement: [{ action: ['fs:*'], effect: 'allow', resource: '*' }] };
    await schema.db.getRepository(PolicyEntity).save({ id: everything.id, document: everything });
    await schema.db.getRepository(PolicyAttachmentEntity).insert({ policyId: everything.id, principalType: 'user', principalId: 'admin' });
    api = await startApi(schema.schema);
    await env.source.lakefs.createRepository({ name: repo, storage_namespace: sourceNamespace, default_branch: 'main' });
  });
  afterAll(async () => {
    await api?.stop();
    await env.source.lakefs.deleteRepository(repo).catch(() => undefined);
    for (const name of destinationRepositories) await env.regionB.lakefs.deleteRepository(name, { force: true }).catch(() => undefined);
    await schema?.drop();
  });

  describe('the configured roots', () => {
    it.each([
      [`s3://${bucketB}/mirrors-evil/x`, 'a look-alike of the root'],
      [`s3://${bucketB}/mirrors-evil`, 'a look-alike of the root, at the top'],
      [`s3://${bucketB}/other/mirrors/x`, 'the root further down'],
      [`s3://${bucketB}`, 'the whole bucket above the root'],
      [`s3://${bucketB}/`, 'the whole bucket, with a slash'],
      [`s3://${env.source.bucket}/mirrors/x`, "another bucket, with the root's path"],
    ])('400 naming the field and the allowed roots for %s (%s), creating nothing', async (namespace) => {
      const name = uniqueName('ns-out');
      const { status, body } = await create(name, namespace);
      expect(status).toBe(400);
      expect(body.message).toBe(`storage_namespace "${namespace}" is outside the storage namespaces allowed in region region-b: ${root}`);
      expect(body.errors).toEqual({ storage_namespace: `must be inside one of: ${root}` });
      expect(await mirrorRow(name)).toBeNull();
      expect(await repositoryOnDestination(name)).toBeUndefined();
    });

    it.each([
      [`s3://${bucketB}/mirrors/../secrets`, 'the prefix has an empty, "." or ".." segment'],
      [`s3://${bucketB}/mirrors//x`, 'the prefix has an empty, "." or ".." segment'],
      [`s3://${bucketB}/mirrors/./x`, 'the prefix has an empty, "." or ".." segment'],
      [`gs://${bucketB}/mirrors/x`, 'must start with s3://'],
      [`S3://${bucketB}/mirrors/x`, 'must start with s3://'],
      [`s3://${bucketB}/mirrors/%2e%2e/secrets`, 'must not contain "%", "?" or "#"'],
      [`s3://${bucketB}/mirrors/x?versionId=1`, 'must not contain "%", "?" or "#"'],
      [`s3://${bucketB}/mirrors/x#y`, 'must not contain "%", "?" or "#"'],
    ])('400 for %s: %s', async (namespace, reason) => {
      const name = uniqueName('ns-bad');
      const { status, body } = await create(name, namespace);
      expect(status).toBe(400);
      expect(body.errors?.storage_namespace).toContain(reason);
      expect(await mirrorRow(name)).toBeNull();
    });

    it('creates a mirror inside a root, and one equal to the root', async () => {
      const inside = await create(uniqueName('ns-in'), `${root}${repo}/deeper`);
      expect(inside.status).toBe(201);
      const other = uniqueName('ns-whole');
      const onRoot = await create(other, root);
      // The root itself is allowed, but it contains the mirror just made.
      expect(onRoot.status).toBe(409);
      expect(onRoot.body.message).toContain(`the storage namespace of mirror "${inside.body.id}"`);
      expect(
        (
          await fetch(`${api.url}/service/replication/v1/repositories/${repo}/mirrors/${inside.body.id}`, {
            method: 'DELETE',
            headers: { authorization: auth },
          })
        ).status,
      ).toBe(204);
      expect((await create(other, root)).status).toBe(201);
      expect(
        (await fetch(`${api.url}/service/replication/v1/repositories/${repo}/mirrors/${other}`, { method: 'DELETE', headers: { authorization: auth } })).status,
      ).toBe(204);
    });

    it('refuses to start without roots for a region, or with a wrong one, saying what to set', async () => {
      const missing = await runAppExpectingExit('api', { LAKEMIRROR_DATABASE_SCHEMA: schema.schema, LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES: ' ' });
      expect(missing.code).toBe(1);
      expect(missing.output).toContain(
        'LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES is not set (comma-separated storage namespaces under which mirrors in region region-b',
      );
      const wrong = await runAppExpectingExit('api', {
        LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
        LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES: `${root},s3://${bucketB}/a/../b`,
      });
      expect(wrong.code).toBe(1);
      expect(wrong.output).toContain(
        `LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES: "s3://${bucketB}/a/../b" is not a storage namespace (s3://bucket/prefix/): the prefix has an empty, "." or ".." segment`,
      );
    });
  });

  describe('one namespace, one mirror', () => {
    const taken = `${root}${repo}`;
    let holder: string;
    beforeAll(async () => {
      holder = uniqueName('ns-holder');
      expect((await create(holder, taken)).status).toBe(201);
    });

    it.each([
      ['equal to', taken],
      ['equal to, with a slash', `${taken}/`],
      ['inside', `${taken}/part`],
      ['containing', `${root}`],
      ['containing, without a slash', `s3://${bucketB}/mirrors`],
    ])("409 naming the other mirror for a namespace %s another mirror's, leaving nothing behind", async (_, namespace) => {
      const name = uniqueName('ns-dup');
      const { status, body } = await create(name, namespace);
      expect(status).toBe(409);
      expect(body.message).toBe(
        `storage_namespace "${namespace}" overlaps ${taken}, the storage namespace of mirror "${holder}" of repository "${repo}" in region region-b`,
      );
      expect(await mirrorRow(name)).toBeNull();
      expect(await repositoryOnDestination(name)).toBeUndefined();
    });

    it('allows a sibling whose name merely starts like the taken one', async () => {
      const name = uniqueName('ns-sib');
      expect((await create(name, `${taken}-2`)).status).toBe(201);
    });

    it('lets only one of two concurrent requests for overlapping namespaces through', async () => {
      const area = `${root}${uniqueName('ns-race')}`;
      const [first, second] = await Promise.all([create(uniqueName('ns-race-a'), area), create(uniqueName('ns-race-b'), `${area}/inner`)]);
      expect([first.status, second.status].sort()).toEqual([201, 409]);
      const rows = await schema.db.query(`SELECT id FROM mirrors WHERE storage_namespace LIKE $1`, [`${area}%`]);
      expect(rows).toHaveLength(1);
    });
  });

  describe('adopting an existing repository', () => {
    it('never adopts a read-only repository that lakemirror did not create, and leaves it untouched', async () => {
      const name = uniqueName('ns-foreign');
      const namespace = `${root}${name}`;
      const before = await foreignRepository(name, namespace);
      const { status, body } = await create(name, namespace);
      expect(status).toBe(409);
      expect(body.message).toBe(`a repository named "${name}" already exists on region region-b's lakeFS and was not created by lakemirror`);
      expect(await mirrorRow(name)).toBeNull();
      expect(await env.regionB.lakefs.getRepository(name)).toEqual(before);
      expect(await env.regionB.lakefs.getRepositoryMetadata(name)).toEqual({});
    });

    it('does not adopt a foreign repository either when an interrupted creation left its row', async () => {
      const name = uniqueName('ns-foreign-row');
      const namespace = `${root}${name}`;
      const foreign = await foreignRepository(name, namespace);
      // The earlier try began after the repository existed: the repository cannot be its work.
      await interruptedCreation(name, namespace, new Date((foreign.creation_date + 5) * 1000));
      const { status, body } = await create(name, namespace);
      expect(status).toBe(409);
      expect(body.message).toContain('was not created by lakemirror');
      expect(await mirrorRow(name)).toBeNull();
      expect(await env.regionB.lakefs.getRepository(name)).toEqual(foreign);
    });

    it('does not adopt a repository lakemirror marked for another creation of that name', async () => {
      const name = uniqueName('ns-stale');
      const namespace = `${root}${name}`;
      const row = await interruptedCreation(name, namespace);
      await foreignRepository(name, namespace);
      const earlier = new Date(row.createdAt.getTime() - 3_600_000);
      await env.regionB.lakefs.setRepositoryMetadata(name, mirrorMarker({ ...row, createdAt: earlier }));
      const { status } = await create(name, namespace);
      expect(status).toBe(409);
      expect(await mirrorRow(name)).toBeNull();
      expect(await repositoryOnDestination(name)).toBeDefined();
    });

    it("finishes lakemirror's own interrupted creation: a repository it marked", async () => {
      const name = uniqueName('ns-retry');
      const namespace = `${root}${name}`;
      const row = await interruptedCreation(name, namespace);
      await foreignRepository(name, namespace);
      await env.regionB.lakefs.setRepositoryMetadata(name, mirrorMarker(row));
      const { status, body } = await create(name, namespace);
      expect(status).toBe(201);
      expect(body).toMatchObject({ id: name, storage_namespace: namespace, state: 'active' });
      expect(await mirrorRow(name)).toMatchObject({ state: 'active' });
    });

    it("finishes lakemirror's own creation interrupted before it marked the repository, and marks it", async () => {
      const name = uniqueName('ns-unmarked');
      const namespace = `${root}${name}`;
      const row = await interruptedCreation(name, namespace);
      await foreignRepository(name, namespace);
      const { status } = await create(name, namespace);
      expect(status).toBe(201);
      expect(await env.regionB.lakefs.getRepositoryMetadata(name)).toEqual(mirrorMarker(row));
    });

    it('marks every repository it creates', async () => {
      const name = uniqueName('ns-marked');
      expect((await create(name, `${root}${name}`)).status).toBe(201);
      const row = (await mirrorRow(name)) as MirrorEntity;
      expect(await env.regionB.lakefs.getRepositoryMetadata(name)).toEqual(mirrorMarker(row));
      expect((await env.regionB.lakefs.getRepositoryMetadata(name))[MIRROR_MARKER_KEY]).toBe(`${repo}/${name}`);
    });
  });

  // A second API whose extra region "region-a-echo" keeps its mirrors in the source's own object
  // store (MinIO region A), as a deployment with both lakeFS installations on one store would.
  describe('a region on the source object store', () => {
    let sharedStore: ApiProcess;
    beforeAll(async () => {
      const variables = process.env;
      const echo = 'LAKEMIRROR_REGION_REGION_A_ECHO_';
      sharedStore = await startApi(schema.schema, {
        LAKEMIRROR_REGIONS: 'region-b,region-a-echo',
        LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES: `${root},s3://no-such-bucket-here/mirrors/`,
        [`${echo}LAKEFS_ENDPOINT`]: variables.LAKEMIRROR_REGION_REGION_B_LAKEFS_ENDPOINT as string,
        [`${echo}LAKEFS_ACCESS_KEY_ID`]: variables.LAKEMIRROR_REGION_REGION_B_LAKEFS_ACCESS_KEY_ID as string,
        [`${echo}LAKEFS_SECRET_ACCESS_KEY`]: variables.LAKEMIRROR_REGION_REGION_B_LAKEFS_SECRET_ACCESS_KEY as string,
        [`${echo}S3_ENDPOINT`]: variables.LAKEMIRROR_SOURCE_S3_ENDPOINT as string,
        [`${echo}S3_REGION`]: variables.LAKEMIRROR_SOURCE_S3_REGION ?? 'us-east-1',
        [`${echo}S3_ACCESS_KEY_ID`]: variables.LAKEMIRROR_SOURCE_S3_ACCESS_KEY_ID as string,
        [`${echo}S3_SECRET_ACCESS_KEY`]: variables.LAKEMIRROR_SOURCE_S3_SECRET_ACCESS_KEY as string,
        [`${echo}STORAGE_NAMESPACES`]: `s3://${env.source.bucket}/mirrors/`,
      });
    });
    afterAll(() => sharedStore?.stop());

    it.each([
      ['equal to', sourceNamespace],
      ['inside', `${sourceNamespace}/part`],
      ['containing', `s3://${env.source.bucket}/mirrors`],
    ])("409 for a namespace %s the source repository's own in the same object store", async (_, namespace) => {
      const name = uniqueName('ns-on-source');
      const { status, body } = await create(name, namespace, sharedStore, 'region-a-echo');
      expect(status).toBe(409);
      expect(body.message).toBe(
        `storage_namespace "${namespace}" overlaps ${sourceNamespace}, the storage namespace of source repository "${repo}" in the same object store`,
      );
      expect(await mirrorRow(name)).toBeNull();
      expect(await repositoryOnDestination(name)).toBeUndefined();
    });

    it('still checks that the bucket of an allowed root exists', async () => {
      const name = uniqueName('ns-nobucket');
      const { status, body } = await create(name, `s3://no-such-bucket-here/mirrors/${name}`, sharedStore);
      expect(status).toBe(400);
      expect(body.message).toBe('bucket "no-such-bucket-here" does not exist in region region-b');
      expect(await mirrorRow(name)).toBeNull();
    });
  });
});
