import { collect } from '@lakemirror/lakefs-client';
import { waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, waitUntilReplicated } from './pipeline.fixture';

interface ApiBody {
  message: string;
  errors?: Record<string, string>;
  branches?: { include: string[]; exclude: string[] };
}

// Branch filters end to end, the four apps as processes: a mirror created with include
// ["main", "release-*"] and exclude ["release-old*"] follows only those branches and never
// verifies a commit that only another branch has; PATCH widens the filter (the new branch is
// followed), narrows it deleting the dropped branch from the mirror or keeping it as it is,
// and refuses what it cannot do, naming the field.
describe('branch filters', () => {
  const pipeline = new PipelineUnderTest();
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;
  const heads: Record<string, string> = {};

  const mirrors = (path: string, init: RequestInit = {}) =>
    fetch(`${pipeline.api.url}/service/replication/v1/repositories/${repository}/mirrors${path}`, {
      ...init,
      headers: { ...pipeline.auth, 'content-type': 'application/json' },
    });
  const patch = (body: unknown, id = mirror) => mirrors(`/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
  const commitOn = async (branch: string, prefix: string) => {
    heads[branch] = (await commitObjects(source.lakefs, repository, branch, prefix, 3)).id;
  };
  const mirrorBranches = async () => Object.fromEntries((await collect(regionB.lakefs.listBranches(mirror))).map((b) => [b.id, b.commit_id]));
  const knownCommits = async () =>
    (await pipeline.db.query(`SELECT commit_id FROM mirror_commits WHERE mirror_id = $1`, [mirror])).map((r: { commit_id: string }) => r.commit_id);
  const untilMirrorBranches = (wanted: Record<string, string>) =>
    waitFor(
      `mirror branches ${JSON.stringify(wanted)}`,
      async () => JSON.stringify(Object.entries(await mirrorBranches()).sort()) === JSON.stringify(Object.entries(wanted).sort()),
      { timeoutMs: 120_000, intervalMs: 300 },
    );

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-filters');
    mirror = `${repository}-m`;
    await commitOn('main', 'base');
    for (const branch of ['release-1', 'release-old-1', 'dev']) {
      await source.lakefs.createBranch(repository, branch, 'main');
      await commitOn(branch, branch);
    }
    await waitUntilReplicated(pipeline, repository);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('refuses a bad pattern with 400 naming the field', async () => {
    const created = await mirrors('', {
      method: 'POST',
      body: JSON.stringify({
        name: mirror,
        region: 'region-b',
        storage_namespace: pipeline.mirrorNamespace(repository),
        branches: { include: ['main', 'release-['] },
      }),
    });
    expect(created.status).toBe(400);
    expect(((await created.json()) as ApiBody).errors).toEqual({ 'branches.include.1': 'is not a valid branch pattern: unclosed "[" at position 8' });
    expect((await mirrors(`/${mirror}`)).status).toBe(404);
  });

  it('follows only the included branches that no exclude matches; a commit only an excluded branch has is never verified', async () => {
    const branches = { include: ['main', 'release-*'], exclude: ['release-old*'] };
    const created = await mirrors('', {
      method: 'POST',
      body: JSON.stringify({ name: mirror, region: 'region-b', storage_namespace: pipeline.mirrorNamespace(repository), branches }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as ApiBody).branches).toEqual(branches);
    await untilMirrorBranches({ main: heads.main, 'release-1': heads['release-1'] });
    const status = await pipeline.status(repository, mirror);
    expect(status.branches.map((b) => b.branch)).toEqual(['main', 'release-1']);
    const known = await knownCommits();
    expect(known).toEqual(expect.arrayContaining([heads.main, heads['release-1']]));
    expect(known).not.toContain(heads['release-old-1']);
    expect(known).not.toContain(heads.dev);
    expect(((await (await mirrors(`/${mirror}`)).json()) as ApiBody).branches).toEqual(branches);
  });

  it('PATCH: a bad pattern is 400 naming the field, and changes nothing', async () => {
    const response = await patch({ branches: { include: ['main'], exclude: ['ok', 'v[z-a]'] } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiBody).errors).toEqual({ 'branches.exclude.1': 'is not a valid branch pattern: range z-a is reversed at position 2' });
    const unknown = await patch({ branches: { include: ['main'] }, mirror_everything: true });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ApiBody).errors).toEqual({ mirror_everything: 'is not a known field' });
    expect(((await (await mirrors(`/${mirror}`)).json()) as ApiBody).branches).toEqual({ include: ['main', 'release-*'], exclude: ['release-old*'] });
  });

  it('PATCH: a newly included branch is followed', async () => {
    const branches = { include: ['main', 'release-*', 'dev'], exclude: ['release-old*'] };
    const response = await patch({ branches });
    expect(response.status).toBe(200);
    expect(((await response.json()) as ApiBody).branches).toEqual(branches);
    await untilMirrorBranches({ main: heads.main, 'release-1': heads['release-1'], dev: heads.dev });
    expect(await knownCommits()).not.toContain(heads['release-old-1']);
  });

  it('PATCH: refuses to delete the default branch from the mirror (409), changing nothing', async () => {
    const response = await patch({ branches: { include: ['dev'] }, unfollowed_branches: 'delete' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ApiBody).message).toContain('"main", the default branch');
    expect(await mirrorBranches()).toEqual({ main: heads.main, 'release-1': heads['release-1'], dev: heads.dev });
  });

  it('PATCH: a dropped branch is deleted from the mirror when asked, and kept as it is by default', async () => {
    const deleting = await patch({ branches: { include: ['main', 'dev'] }, unfollowed_branches: 'delete' });
    expect(deleting.status).toBe(200);
    // A list left out of the request stays as it is.
    expect(((await deleting.json()) as ApiBody).branches).toEqual({ include: ['main', 'dev'], exclude: ['release-old*'] });
    expect(await mirrorBranches()).toEqual({ main: heads.main, dev: heads.dev });

    const keeping = await patch({ branches: { include: ['main'] } });
    expect(keeping.status).toBe(200);
    const keptAt = heads.dev;
    await commitOn('dev', 'dev-later');
    await commitOn('main', 'main-later');
    await waitUntilReplicated(pipeline, repository);
    // The new main head is the barrier: every scan after it saw dev's new commit too.
    await untilMirrorBranches({ main: heads.main, dev: keptAt });
    expect(await knownCommits()).not.toContain(heads.dev);
    const status = await pipeline.status(repository, mirror);
    expect(status.branches.map((b) => b.branch)).toEqual(['main']);
  });

  it('records every PATCH in the audit log, refused or not', async () => {
    const rows: { action: string; result: string }[] = await pipeline.db.query(
      `SELECT action, result FROM audit_log WHERE target = $1 AND action = 'mirror.update' ORDER BY id`,
      [`${repository}/${mirror}`],
    );
    expect(rows.map((r) => r.result)).toEqual(['success', 'failure', 'success', 'success']);
  });

  it('404 for a mirror that does not exist', async () => {
    expect((await patch({ branches: { include: ['main'] } }, 'no-such-mirror')).status).toBe(404);
  });
});
