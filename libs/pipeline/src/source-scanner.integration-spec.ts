import { setTimeout as sleep } from 'node:timers/promises';
import { EnvReader, loadConfig } from '@lakemirror/config';
import { migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName } from '@lakemirror/testing';
import { PipelineUnderTest, createPipeline } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';
import { SourceScannerService } from './source-scanner.service';

// The interval's scan of one source repository against the real source lakeFS: one branch
// listing (and, once per tag interval, one tag listing) serves every mirror of the source; only
// a mirror the listing shows a change for (its filter and pause respected) is scanned in full;
// idle mirrors cost no write to PostgreSQL.
const TAG_INTERVAL_MS = 1_000;

describe('source scanner', () => {
  const env = testEnvironment();
  const repository = uniqueName('srcscan');
  const [all, mainOnly, paused, untagged] = ['all', 'main', 'paused', 'untagged'].map((name) => `${repository}-${name}`);
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest;
  let sources: SourceScannerService;
  const sourceHeads = async (mirror: string) =>
    Object.fromEntries(
      (await schema.db.query(`SELECT branch, source_head FROM branch_states WHERE mirror_id = $1`, [mirror])).map(
        (r: { branch: string; source_head: string }) => [r.branch, r.source_head],
      ),
    );
  /** What a scan may write: every row of the tables it writes to (a row updated shows in its updated_at). */
  const rows = async () =>
    Promise.all(
      ['branch_states', 'observed_heads', 'mirror_commits', 'mirror_tags', 'mirrors'].map((table) => schema.db.query(`SELECT * FROM ${table} ORDER BY 1, 2`)),
    );

  beforeAll(async () => {
    schema = await migratedSchema('lm_srcscan');
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      readPipelineSettings(new EnvReader({ LAKEMIRROR_TAG_SCAN_INTERVAL_MS: String(TAG_INTERVAL_MS) })),
    );
    sources = pipeline.app.get(SourceScannerService, { strict: false });
    await env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${env.source.bucket}/mirrors/${repository}`,
      default_branch: 'main',
    });
    await env.source.lakefs.uploadObject(repository, 'main', 'a', 'a');
    await env.source.lakefs.commit(repository, 'main', { message: 'a' });
    for (const [mirror, include, pausedAt, tags] of [
      [all, '["*"]', null, true],
      [mainOnly, '["main"]', null, true],
      [paused, '["*"]', new Date(), true],
      [untagged, '["*"]', null, false],
    ] as const) {
      await schema.db.query(
        `INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by, branch_include, paused_at, mirror_tags)
         VALUES ($1, $2, 'region-b', $3, 'active', 'test', $4, $5, $6)`,
        [mirror, repository, `s3://${env.regionB.bucket}/mirrors/${mirror}`, include, pausedAt, tags],
      );
    }
  });
  afterAll(async () => {
    await pipeline?.close();
    await schema?.drop();
    await env.source.lakefs.deleteRepository(repository).catch(() => undefined);
  });

  it('scans in full only the mirrors the one listing shows a change for, the paused one left alone', async () => {
    const main = (await env.source.lakefs.getBranch(repository, 'main')).commit_id;
    expect(await sources.scanSource(repository)).toMatchObject({ mirrors: 4, scanned: 3 });
    for (const mirror of [all, mainOnly, untagged]) expect(await sourceHeads(mirror)).toEqual({ main });
    expect(await sourceHeads(paused)).toEqual({});
  });

  it('lists the branches once a poll and the tags once a tag interval for all mirrors of an idle source, and writes nothing', async () => {
    await sleep(TAG_INTERVAL_MS);
    const listBranches = jest.spyOn(pipeline.contexts.source, 'listBranches');
    const listTags = jest.spyOn(pipeline.contexts.source, 'listTags');
    const log = jest.spyOn(pipeline.contexts.source, 'log');
    const before = await rows();
    expect(await sources.scanSource(repository)).toMatchObject({ mirrors: 4, scanned: 0 });
    expect(await sources.scanSource(repository)).toMatchObject({ mirrors: 4, scanned: 0 });
    expect(listBranches).toHaveBeenCalledTimes(2);
    expect(listTags).toHaveBeenCalledTimes(1);
    expect(log).not.toHaveBeenCalled();
    expect(await rows()).toEqual(before);
    jest.restoreAllMocks();
  });

  it('follows a new branch at once on the mirrors whose filter matches it, and a new tag at the next tag listing on those that follow tags', async () => {
    await env.source.lakefs.createBranch(repository, 'feature', 'main');
    expect(await sources.scanSource(repository)).toMatchObject({ scanned: 2 });
    expect(Object.keys(await sourceHeads(all)).sort()).toEqual(['feature', 'main']);
    expect(Object.keys(await sourceHeads(untagged)).sort()).toEqual(['feature', 'main']);
    expect(Object.keys(await sourceHeads(mainOnly))).toEqual(['main']);

    await sleep(TAG_INTERVAL_MS);
    expect(await sources.scanSource(repository)).toMatchObject({ scanned: 0 });
    await env.source.lakefs.createTag(repository, 'v1', 'feature');
    expect(await sources.scanSource(repository)).toMatchObject({ scanned: 0 });
    const tagged = async () =>
      (await schema.db.query(`SELECT mirror_id FROM mirror_tags WHERE tag = 'v1' ORDER BY mirror_id`)).map((r: { mirror_id: string }) => r.mirror_id);
    expect(await tagged()).toEqual([]);
    await sleep(TAG_INTERVAL_MS);
    expect(await sources.scanSource(repository)).toMatchObject({ scanned: 2 });
    expect(await tagged()).toEqual([all, mainOnly].sort());
  });
});
