import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MirrorEntity } from './entities/mirror.entity';
import { MirrorAuditRepository } from './repositories/mirror-audit.repository';

describe('mirror audits on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;
  let audits: MirrorAuditRepository;
  const mirrorId = 'sales-eu';

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string, 'lm_audits');
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
    await db.runMigrations();
    await db
      .getRepository(MirrorEntity)
      .insert({ id: mirrorId, sourceRepository: 'sales', region: 'region-b', storageNamespace: 's3://b/sales', state: 'active', createdBy: 'alice' });
    audits = new MirrorAuditRepository(db);
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('keeps at most one active audit per mirror, even when requests race', async () => {
    const started = await Promise.all([audits.createQueued(mirrorId, 'alice'), audits.createQueued(mirrorId, 'bob'), audits.createQueued(mirrorId, 'carol')]);
    expect(new Set(started.map((s) => s.audit.id)).size).toBe(1);
    expect(started.filter((s) => s.created)).toHaveLength(1);
    expect(started[0].audit).toMatchObject({ state: 'queued', mirrorId, missingCount: 0, commits: [], missing: [] });
  });

  it('runs an audit from the start, records its progress and its findings, and then allows a new one', async () => {
    const { id } = (await audits.active(mirrorId))!;
    expect(await audits.start(id)).toBe(true);
    await audits.planned(id, [{ commit_id: 'c1', metarange_id: 'm1', branches: ['main'], tags: [] }], { ranges: 2, objects: 5_000_000_000 });
    await audits.progress(id, { rangesChecked: 1, objectsChecked: 2_500_000_000, objectsOutsideNamespace: 0, requests: 7 });
    expect(await audits.latest(mirrorId)).toMatchObject({ state: 'running', rangesTotal: 2, objectsTotal: 5_000_000_000, objectsChecked: 2_500_000_000 });
    const missing = [{ key: 'sales/data/a', kind: 'object' as const, path: 'a', commit_id: 'c1', commit_ids: ['c1'], classification: 'lost' as const }];
    await audits.succeed(id, {
      rangesChecked: 2,
      objectsChecked: 5_000_000_000,
      objectsOutsideNamespace: 0,
      requests: 9,
      missingCount: 1,
      missing,
      classification: { lost: 1 },
    });
    const finished = await audits.ofMirror(mirrorId, id);
    expect(finished).toMatchObject({ state: 'succeeded', missingCount: 1, missing, classification: { lost: 1 }, requests: 9 });
    expect(finished?.finishedAt).toBeInstanceOf(Date);
    // A finished audit is never restarted nor failed by a late job.
    expect(await audits.start(id)).toBe(false);
    await audits.fail(id, 'late');
    expect((await audits.find(id))?.state).toBe('succeeded');
    const next = await audits.createQueued(mirrorId, 'alice');
    expect(next.created).toBe(true);
    expect(next.audit.id).not.toBe(id);
  });

  it('fails an active audit with why, and forgets audits with their mirror', async () => {
    const { id } = (await audits.active(mirrorId))!;
    await audits.fail(id, 'the object store did not answer');
    expect(await audits.find(id)).toMatchObject({ state: 'failed', error: 'the object store did not answer' });
    expect(await audits.active(mirrorId)).toBeUndefined();
    await db.getRepository(MirrorEntity).delete({ id: mirrorId });
    expect(await audits.latest(mirrorId)).toBeUndefined();
  });
});
