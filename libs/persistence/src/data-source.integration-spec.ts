import { ConfigError } from '@lakemirror/config';
import { PostgresInstance, TestCertificates, createTestCertificates, createTestSchema, freePort } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { DatabaseUnreachableError, SchemaNotMigratedError, assertSchemaMigrated, connectDataSource, createDataSource } from './data-source.factory';
import { BranchStateEntity } from './entities/branch-state.entity';
import { MirrorEntity } from './entities/mirror.entity';
import { PolicyAttachmentEntity } from './entities/policy-attachment.entity';
import { PolicyEntity } from './entities/policy.entity';
import { BranchStateRepository } from './repositories/branch-state.repository';
import { MirrorCommitRepository } from './repositories/mirror-commit.repository';
import { MirrorNameTakenError, MirrorRepository } from './repositories/mirror.repository';

describe('persistence on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string);
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('refuses an unmigrated schema, then migrates explicitly, once', async () => {
    await expect(assertSchemaMigrated(db)).rejects.toThrow(SchemaNotMigratedError);
    expect((await db.runMigrations()).map((m) => m.name)).toEqual([
      'InitialSchema1795500000000',
      'PipelineState1795600000000',
      'ChunkBaseRanges1795700000000',
      'CommitFailures1795810000000',
      'MirrorTags1795900000100',
      'BranchFilters1795900000200',
      'MirrorPauseAndMaxLag1795900000300',
      'MirrorHookTokens1795900000400',
      'MirrorPromotions1795900000500',
      'MirrorAudits1795900000600',
      'LagSamples1795900000700',
      'MissingObjectsByKey1795900000800',
    ]);
    expect(await db.runMigrations()).toEqual([]);
    await expect(assertSchemaMigrated(db)).resolves.toBeUndefined();
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema.schema]);
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual([
      'audit_log',
      'branch_states',
      'commit_chunks',
      'group_members',
      'lag_samples',
      'migrations',
      'mirror_audits',
      'mirror_commits',
      'mirror_hook_tokens',
      'mirror_promotions',
      'mirror_tags',
      'mirrors',
      'missing_objects',
      'observed_heads',
      'policies',
      'policy_attachments',
      'verified_ranges',
    ]);
  });

  it('stores mirrors with their branch states, removed with the mirror', async () => {
    const mirrors = db.getRepository(MirrorEntity);
    await mirrors.insert({
      id: 'sales-eu',
      sourceRepository: 'sales',
      region: 'region-b',
      storageNamespace: 's3://b/sales',
      state: 'creating',
      createdBy: 'alice',
    });
    await expect(
      mirrors.insert({ id: 'sales-eu', sourceRepository: 'x', region: 'r', storageNamespace: 's3://b/x', state: 'creating', createdBy: 'bob' }),
    ).rejects.toThrow(/duplicate key/);
    await db.getRepository(BranchStateEntity).insert({ mirrorId: 'sales-eu', branch: 'main', sourceHead: 'abc', observedSequence: '1' });
    expect(await mirrors.findOneByOrFail({ id: 'sales-eu' })).toMatchObject({ sourceRepository: 'sales', state: 'creating', createdBy: 'alice' });
    await mirrors.delete({ id: 'sales-eu' });
    expect(await db.getRepository(BranchStateEntity).count()).toBe(0);
  });

  it('keeps policy documents as JSON and drops attachments with their policy', async () => {
    const document = { id: 'p1', statement: [{ action: ['fs:*'], effect: 'allow' as const, resource: '*' }] };
    await db.getRepository(PolicyEntity).save({ id: 'p1', document });
    await db.getRepository(PolicyAttachmentEntity).insert({ policyId: 'p1', principalType: 'user', principalId: 'alice' });
    expect((await db.getRepository(PolicyEntity).findOneByOrFail({ id: 'p1' })).document).toEqual(document);
    await db.getRepository(PolicyEntity).delete({ id: 'p1' });
    expect(await db.getRepository(PolicyAttachmentEntity).count()).toBe(0);
  });

  it('reports a taken mirror name by SQLSTATE as a typed error, whatever the message says', async () => {
    const mirrors = new MirrorRepository(db);
    const mirror = { id: 'taken', sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/taken', createdBy: 'alice' };
    await mirrors.insertCreating(mirror);
    await expect(mirrors.insertCreating({ ...mirror, createdBy: 'bob' })).rejects.toThrow(MirrorNameTakenError);
    expect(await mirrors.find('taken')).toMatchObject({ state: 'creating', createdBy: 'alice' });
    await mirrors.delete('taken', 'active');
    expect(await mirrors.find('taken')).toBeDefined();
    await mirrors.delete('taken', 'creating');
    expect(await mirrors.find('taken')).toBeUndefined();
  });

  it('moves a commit only from the state and generation the caller saw, and says whether it did', async () => {
    await new MirrorRepository(db).insertCreating({ id: 'm1', sourceRepository: 's', region: 'r', storageNamespace: 's3://b/m1', createdBy: 'a' });
    const commits = new MirrorCommitRepository(db);
    const commit = { id: 'c1', parents: [], committer: 'a', message: 'm', creation_date: 1_700_000_000, meta_range_id: 'mr' };
    expect(await commits.addDiscovered('m1', [commit])).toEqual(['c1']);
    expect(await commits.addDiscovered('m1', [commit])).toEqual([]);
    expect(await commits.transition('m1', 'c1', { state: ['pending'], generation: 1 }, 'verifying')).toBe(false);
    expect(await commits.transition('m1', 'c1', { state: ['pending'], generation: 0 }, 'verifying', 7)).toBe(true);
    expect(await commits.transition('m1', 'c1', { state: ['pending'] }, 'verifying')).toBe(false);
    expect(await commits.replan('m1', 'c1', { state: 'verifying', generation: 0 })).toBe(1);
    expect(await commits.replan('m1', 'c1', { state: 'verifying', generation: 0 })).toBeUndefined();
    expect(await commits.get('m1', 'c1')).toMatchObject({ state: 'pending', generation: 1, creationDate: 1_700_000_000, sourceCommit: commit });
  });

  it('numbers the observations of a branch and locks its row', async () => {
    const branches = new BranchStateRepository(db);
    expect(await branches.advanceObserved('m1', 'main', 'h1')).toBe(1);
    expect(await branches.advanceObserved('m1', 'main', 'h2')).toBe(2);
    await db.transaction(async (tx) =>
      expect(await branches.lock('m1', 'main', tx)).toMatchObject({ sourceHead: 'h2', observedSequence: 2, mirroredSequence: 0 }),
    );
    await db.transaction(async (tx) => expect(await branches.lock('m1', 'gone', tx)).toBeUndefined());
  });
});

describe('PostgreSQL over TLS (a server of its own, hostssl only)', () => {
  const password = 'Pg-Tls-Distinct-Pw-41';
  let certificates: TestCertificates;
  let server: PostgresInstance;
  let url: (host: string, sslmode?: string) => string;

  beforeAll(async () => {
    certificates = createTestCertificates(['IP:127.0.0.1']);
    server = await PostgresInstance.start(await freePort(), { ssl: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
    url = (host, sslmode) => `postgres://postgres:${password}@${host}:${server.port}/postgres${sslmode ? `?sslmode=${sslmode}` : ''}`;
  });
  afterAll(async () => {
    await server?.stop();
    certificates?.remove();
  });

  /** Connects, reports whether the session is encrypted, disconnects; or the connection error. */
  async function sessionEncrypted(dataSource: DataSource): Promise<boolean> {
    const db = await connectDataSource(dataSource);
    try {
      const [row] = await db.query(`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`);
      return row.ssl;
    } finally {
      await db.destroy();
    }
  }

  it('migrates with sslmode=verify-full and the CA file, on an encrypted session', async () => {
    const db = await connectDataSource(createDataSource(url('127.0.0.1', 'verify-full'), { tls: { sslmode: 'verify-full', caFile: certificates.caFile } }));
    try {
      expect((await db.runMigrations()).length).toBeGreaterThan(0);
      await expect(assertSchemaMigrated(db)).resolves.toBeUndefined();
      expect((await db.query(`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`))[0].ssl).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('encrypts with require (no certificate check), checks the chain with verify-ca, the chain and host with verify-full', async () => {
    const tls = (sslmode: 'require' | 'verify-ca' | 'verify-full', caFile?: string) => ({ tls: { sslmode, caFile } });
    expect(await sessionEncrypted(createDataSource(url('127.0.0.1', 'require')))).toBe(true);
    expect(await sessionEncrypted(createDataSource(url('localhost', 'verify-ca'), tls('verify-ca', certificates.caFile)))).toBe(true);
    // Without the CA, the test CA is not among Node's trusted ones: refused, never silently accepted.
    await expect(sessionEncrypted(createDataSource(url('127.0.0.1', 'verify-ca')))).rejects.toThrow(/unable to verify the first certificate/);
  });

  it('refuses verify-full to a host name the certificate does not name, in one line without the password', async () => {
    const failure = sessionEncrypted(createDataSource(url('localhost', 'verify-full'), { tls: { sslmode: 'verify-full', caFile: certificates.caFile } }));
    await expect(failure).rejects.toThrow(DatabaseUnreachableError);
    const message = (await failure.catch((error: Error) => error)) as Error;
    expect(message.message).toContain(`could not connect to PostgreSQL at postgres://postgres:***@localhost:${server.port}/postgres (sslmode=verify-full): `);
    expect(message.message).toContain(`Hostname/IP does not match certificate's altnames: Host: localhost.`);
    expect(message.message).not.toContain('\n');
    expect(message.message).not.toContain(password);
  });

  it('is refused in plain text by a hostssl-only server, and refuses sslmode values it would not honour', async () => {
    await expect(sessionEncrypted(createDataSource(url('127.0.0.1')))).rejects.toThrow(/\(sslmode=disable\): no pg_hba.conf entry .* no encryption/);
    expect(() => createDataSource(url('127.0.0.1', 'prefer'))).toThrow(ConfigError);
  });
});
