import { createTestSchema } from '@lakemirror/testing';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.factory';
import { MirrorEntity } from './entities/mirror.entity';
import { LagSampleRepository } from './repositories/lag-sample.repository';

// The lag history on PostgreSQL: one row per branch and interval whoever writes it, history
// read back per branch oldest first, the retention deleting by age, the mirror's deletion all.
describe('lag samples on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let db: DataSource;
  let samples: LagSampleRepository;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 4, minute));

  beforeAll(async () => {
    schema = await createTestSchema(process.env.LAKEMIRROR_DATABASE_URL as string, 'lm_lag');
    db = await createDataSource(process.env.LAKEMIRROR_DATABASE_URL as string, { schema: schema.schema }).initialize();
    await db.runMigrations();
    samples = new LagSampleRepository(db);
    for (const id of ['sales-eu', 'logs-eu']) {
      await db
        .getRepository(MirrorEntity)
        .insert({ id, sourceRepository: id.split('-')[0], region: 'region-b', storageNamespace: `s3://b/${id}`, state: 'active', createdBy: 'alice' });
    }
  });
  afterAll(async () => {
    await db.destroy();
    await schema.drop();
  });

  it('writes an interval once, even when two scanners sample it, and skips mirrors gone meanwhile', async () => {
    await samples.append(at(0), [
      { mirrorId: 'sales-eu', branch: 'main', lagSeconds: 0, lagCommits: 0 },
      { mirrorId: 'sales-eu', branch: 'dev', lagSeconds: 30, lagCommits: 2 },
      { mirrorId: 'logs-eu', branch: 'main', lagSeconds: 5, lagCommits: 1 },
      { mirrorId: 'deleted-eu', branch: 'main', lagSeconds: 5, lagCommits: 1 },
    ]);
    await samples.append(at(0), [{ mirrorId: 'sales-eu', branch: 'main', lagSeconds: 99, lagCommits: 9 }]);
    await samples.append(at(1), [{ mirrorId: 'sales-eu', branch: 'main', lagSeconds: 12, lagCommits: 1 }]);
    await samples.append(at(2), []);
    expect(await samples.historySince('sales-eu', at(0))).toEqual([
      { branch: 'dev', samples: [{ sampledAt: at(0), lagSeconds: 30, lagCommits: 2 }] },
      {
        branch: 'main',
        samples: [
          { sampledAt: at(0), lagSeconds: 0, lagCommits: 0 },
          { sampledAt: at(1), lagSeconds: 12, lagCommits: 1 },
        ],
      },
    ]);
    expect(await samples.historySince('sales-eu', at(1))).toEqual([{ branch: 'main', samples: [{ sampledAt: at(1), lagSeconds: 12, lagCommits: 1 }] }]);
  });

  it('deletes samples older than the retention, and a mirror’s samples with it', async () => {
    expect(await samples.deleteBefore(at(1))).toBe(3);
    expect(await samples.historySince('logs-eu', at(0))).toEqual([]);
    expect((await samples.historySince('sales-eu', at(0))).map((h) => h.samples.length)).toEqual([1]);
    await db.getRepository(MirrorEntity).delete({ id: 'sales-eu' });
    expect(await db.query(`SELECT count(*)::int AS n FROM lag_samples`)).toEqual([{ n: 0 }]);
  });
});
