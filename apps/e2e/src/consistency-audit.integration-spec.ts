import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { collect } from '@lakemirror/lakefs-client';
import { latestVersionOf, lakefsMetadataObject, parseStorageNamespace } from '@lakemirror/object-store';
import type { AuditReport } from '@lakemirror/pipeline';
import { S3ObjectSource, readMetaRange } from '@lakemirror/range-reader';
import { waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../bin/lakemirror');

// A disaster-recovery drill: the mirror is audited from region B alone (its lakeFS and bucket),
// after objects vanish from region B's bucket in the two ways the audit tells apart.
describe('consistency audit', () => {
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;
  const mirrorPath = (repo: string, id: string, ...rest: string[]) =>
    `${pipeline.api.url}/service/replication/v1/repositories/${repo}/mirrors/${id}${rest.map((part) => `/${part}`).join('')}`;
  const startAudit = (repo: string, id: string) => fetch(mirrorPath(repo, id, 'audit'), { method: 'POST', headers: pipeline.auth });
  const getReport = (repo: string, id: string, auditId: string) => fetch(mirrorPath(repo, id, 'audits', auditId), { headers: pipeline.auth });

  async function audit(): Promise<AuditReport> {
    const started = await startAudit(repository, mirror);
    expect(started.status).toBe(202);
    const { audit_id: auditId, created } = (await started.json()) as { audit_id: string; created: boolean };
    expect(created).toBe(true);
    return waitFor(
      `audit ${auditId} to finish`,
      async () => {
        const report = (await (await getReport(repository, mirror, auditId)).json()) as AuditReport;
        return report.state === 'succeeded' || report.state === 'failed' ? report : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 300 },
    );
  }

  /** The key in region B's bucket of an object as the mirror's lakeFS shows it. */
  async function mirrorKeyOf(branch: string, objectPath: string): Promise<string> {
    const { physical_address: address } = await regionB.lakefs.statObject(mirror, branch, objectPath);
    return address.slice(`s3://${regionB.bucket}/`.length);
  }

  /** What the audit should count, read independently: the mirror's branches and tags, the distinct ranges of their commits and their entries. */
  async function expectedTotals(): Promise<{ ranges: number; objects: number; heads: Map<string, string>; tags: Map<string, string> }> {
    const heads = new Map((await collect(regionB.lakefs.listBranches(mirror))).map((b) => [b.id, b.commit_id]));
    const tags = new Map((await collect(regionB.lakefs.listTags(mirror))).map((t) => [t.id, t.commit_id]));
    const ranges = new Map<string, number>();
    for (const commitId of new Set([...heads.values(), ...tags.values()])) {
      const { meta_range_id: metaRangeId } = await regionB.lakefs.getCommit(mirror, commitId);
      if (!metaRangeId) continue;
      const file = lakefsMetadataObject(parseStorageNamespace(pipeline.mirrorNamespace(repository)), metaRangeId);
      for (const range of await readMetaRange(new S3ObjectSource(regionB.s3, file.bucket, file.key))) ranges.set(range.id, range.count);
    }
    return { ranges: ranges.size, objects: [...ranges.values()].reduce((a, b) => a + b, 0), heads, tags };
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-audit');
    const shared = await commitObjects(source.lakefs, repository, 'main', 'shared', 30);
    // Tags are mirrored unless the mirror says otherwise: the audit checks what they point at too.
    await source.lakefs.createTag(repository, 'v1', shared.id);
    await source.lakefs.createBranch(repository, 'dev', 'main');
    await commitObjects(source.lakefs, repository, 'dev', 'dev-only', 5);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
    await waitFor('tag v1 on the mirror', async () => (await collect(regionB.lakefs.listTags(mirror))).some((t) => t.id === 'v1'), {
      timeoutMs: 60_000,
      intervalMs: 300,
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('finds nothing missing in a complete mirror, having checked every range and object of its heads', async () => {
    const report = await audit();
    const expected = await expectedTotals();
    expect(report).toMatchObject({
      state: 'succeeded',
      result: 'consistent',
      mirror,
      missing_count: 0,
      missing: [],
      ranges_total: expected.ranges,
      ranges_checked: expected.ranges,
      objects_total: expected.objects,
      objects_checked: expected.objects,
      error: null,
    });
    // 30 objects on main, the same 30 and 5 more on dev: each range is read once, whichever heads share it.
    expect(expected.objects).toBeGreaterThanOrEqual(35);
    expect(new Set(report.commits.map((c) => c.commit_id))).toEqual(new Set([...expected.heads.values(), ...expected.tags.values()]));
    expect(report.commits.find((c) => c.commit_id === expected.heads.get('dev'))).toMatchObject({ branches: ['dev'], tags: [] });
    expect(report.commits.find((c) => c.commit_id === expected.heads.get('main'))).toMatchObject({
      branches: ['main'],
      tags: [...expected.tags.keys()].filter((tag) => expected.tags.get(tag) === expected.heads.get('main')),
    });
    expect(report.started_at && report.finished_at && report.finished_at >= report.started_at).toBeTruthy();
    const status = await pipeline.status(repository, mirror);
    expect(status.last_audit).toMatchObject({ audit_id: report.audit_id, state: 'succeeded', result: 'consistent', objects_checked: expected.objects });
  });

  it('finds an object deleted in the mirror bucket, with its key and commit, as lost', async () => {
    const devHead = (await regionB.lakefs.getBranch(mirror, 'dev')).commit_id;
    const key = await mirrorKeyOf('dev', 'dev-only/object-000002.txt');
    await regionB.s3.send(new DeleteObjectCommand({ Bucket: regionB.bucket, Key: key }));

    const report = await audit();
    expect(report).toMatchObject({ state: 'succeeded', result: 'inconsistent', missing_count: 1, classification: { lost: 1, removed_by_source: 0 } });
    expect(report.missing).toEqual([
      { key, kind: 'object', path: 'dev-only/object-000002.txt', commit_id: devHead, commit_ids: [devHead], classification: 'lost' },
    ]);
  });

  it('tells an object the source deleted, its delete marker replicated, from a lost one', async () => {
    const heads = [(await regionB.lakefs.getBranch(mirror, 'dev')).commit_id, (await regionB.lakefs.getBranch(mirror, 'main')).commit_id];
    const key = await mirrorKeyOf('main', 'shared/object-000007.txt');
    // What lakeFS garbage collection does to an object no retained commit needs: a delete without a version, in the source's bucket.
    await source.s3.send(new DeleteObjectCommand({ Bucket: source.bucket, Key: key }));
    await waitFor('the delete marker to reach region B', async () => (await latestVersionOf(regionB.s3, regionB.bucket, key)).kind === 'delete-marker', {
      timeoutMs: 60_000,
    });

    const report = await audit();
    expect(report).toMatchObject({ missing_count: 2, classification: { lost: 1, removed_by_source: 1 } });
    expect(report.missing.find((m) => m.key === key)).toEqual({
      key,
      kind: 'object',
      path: 'shared/object-000007.txt',
      commit_id: heads[0],
      commit_ids: heads,
      classification: 'removed_by_source',
    });
  });

  it('shows the audit in the CLI: started, waited for with progress, and its report, with an exit status for missing files', async () => {
    const env = { ...process.env, LAKEMIRROR_API_URL: pipeline.api.url };
    const waited = await run(bin, ['audit', repository, mirror, '--wait', '--json'], { env }).catch((error: { code: number; stdout: string }) => error);
    expect((waited as { code?: number }).code).toBe(8);
    const report = JSON.parse(waited.stdout) as AuditReport;
    expect(report).toMatchObject({ state: 'succeeded', missing_count: 2 });
    const shown = await run(bin, ['audit-report', repository, mirror, report.audit_id], { env }).catch((error: { code: number; stdout: string }) => error);
    expect(shown.stdout).toContain(`audit ${report.audit_id}: inconsistent`);
    expect(shown.stdout).toMatch(/lost +object +\S+ \(dev-only\/object-000002\.txt\)/);
  });

  it('answers 404 for an unknown mirror or audit and 400 for a malformed audit ID, and audits each start', async () => {
    const unknownMirror = await startAudit(repository, 'no-such-mirror');
    expect(unknownMirror.status).toBe(404);
    expect(await unknownMirror.json()).toMatchObject({ message: `mirror "no-such-mirror" of repository "${repository}" not found` });
    expect((await getReport(repository, mirror, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await getReport(repository, 'no-such-mirror', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await getReport(repository, mirror, 'not-an-id');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: { audit: 'must be a UUID' } });
    const logged = await pipeline.db.query(`SELECT target, result FROM audit_log WHERE action = 'mirror.audit' ORDER BY at`);
    expect(logged).toEqual(
      expect.arrayContaining([
        { target: `${repository}/${mirror}`, result: 'success' },
        { target: `${repository}/no-such-mirror`, result: 'failure' },
      ]),
    );
  });
});
