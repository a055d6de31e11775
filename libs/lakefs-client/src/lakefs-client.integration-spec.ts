import { LakefsClient } from './lakefs-client';
import { LakefsBadRequestError, LakefsConflictError, LakefsNotFoundError, LakefsReadOnlyRepositoryError, LakefsUnauthorizedError } from './lakefs.errors';
import { commitRecordOf } from './commit-record';
import { collect } from './paginate';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { localLakefs } from './local-lakefs.fixture';

describe('LakefsClient against a real lakeFS', () => {
  const env = localLakefs();
  const lakefs = env.source.lakefs;
  const repo = uniqueName('client');
  const namespace = `s3://${env.source.bucket}/tests/${repo}`;

  beforeAll(async () => {
    await lakefs.createRepository({ name: repo, storage_namespace: namespace, default_branch: 'main' });
  });
  afterAll(async () => {
    await lakefs.deleteRepository(repo).catch(() => undefined);
  });

  it('identifies the current user', async () => {
    expect(await lakefs.currentUser()).toMatchObject({ id: 'admin' });
  });

  it('gets and lists repositories, page by page', async () => {
    expect(await lakefs.getRepository(repo)).toMatchObject({ id: repo, storage_namespace: namespace, default_branch: 'main' });
    const listed = await collect(lakefs.listRepositories({ prefix: repo, amount: 1 }));
    expect(listed.map((r) => r.id)).toEqual([repo]);
  });

  it('uploads, stats, gets, lists and diffs objects, and commits them', async () => {
    await lakefs.createBranch(repo, 'feature', 'main');
    const paths = ['a/1.txt', 'a/2.txt', 'b/3.txt'];
    for (const path of paths) await lakefs.uploadObject(repo, 'feature', path, `content of ${path}`, { contentType: 'text/plain' });

    const stats = await lakefs.statObject(repo, 'feature', 'a/1.txt');
    expect(stats).toMatchObject({ path: 'a/1.txt', size_bytes: 'content of a/1.txt'.length, content_type: 'text/plain' });
    expect(stats.physical_address.startsWith(namespace)).toBe(true);
    expect((await lakefs.getObject(repo, 'feature', 'b/3.txt')).toString()).toBe('content of b/3.txt');

    const listed = await collect(lakefs.listObjects(repo, 'feature', { amount: 2 }));
    expect(listed.map((o) => o.path)).toEqual(paths);
    const folders = await collect(lakefs.listObjects(repo, 'feature', { delimiter: '/' }));
    expect(folders.map((o) => [o.path, o.path_type])).toEqual([
      ['a/', 'common_prefix'],
      ['b/', 'common_prefix'],
    ]);

    const commit = await lakefs.commit(repo, 'feature', { message: 'three objects', metadata: { source: 'test' } });
    expect(commit).toMatchObject({ message: 'three objects', metadata: { source: 'test' }, committer: 'admin' });
    expect(await lakefs.getCommit(repo, commit.id)).toMatchObject({ id: commit.id, meta_range_id: commit.meta_range_id });

    const diff = await collect(lakefs.diffRefs(repo, 'main', 'feature', { amount: 1 }));
    expect(diff.map((d) => [d.type, d.path])).toEqual(paths.map((p) => ['added', p]));
  });

  it('walks the commit log newest first, following next_offset', async () => {
    for (const n of [1, 2, 3]) {
      await lakefs.uploadObject(repo, 'main', `log/${n}`, String(n));
      await lakefs.commit(repo, 'main', { message: `log ${n}` });
    }
    const log = await collect(lakefs.log(repo, 'main', { amount: 2 }));
    expect(log.map((c) => c.message).slice(0, 4)).toEqual(['log 3', 'log 2', 'log 1', 'Repository created']);
    expect(log[0].parents).toEqual([log[1].id]);
  });

  it('creates, moves and deletes branches', async () => {
    const head = await lakefs.getBranch(repo, 'main');
    await lakefs.createBranch(repo, 'moving', 'main');
    const branches = await collect(lakefs.listBranches(repo, { amount: 1 }));
    expect(branches.map((b) => b.id)).toEqual(expect.arrayContaining(['main', 'moving']));

    const [, older] = await collect(lakefs.log(repo, 'main', { amount: 2 })).then((log) => log.slice(0, 2));
    await lakefs.hardResetBranch(repo, 'moving', older.id);
    expect((await lakefs.getBranch(repo, 'moving')).commit_id).toBe(older.id);
    expect((await lakefs.getBranch(repo, 'main')).commit_id).toBe(head.commit_id);

    await lakefs.deleteBranch(repo, 'moving');
    await expect(lakefs.getBranch(repo, 'moving')).rejects.toBeInstanceOf(LakefsNotFoundError);
  });

  it('merges a branch into another, returning the merge commit', async () => {
    await lakefs.createBranch(repo, 'to-merge', 'main');
    await lakefs.uploadObject(repo, 'to-merge', 'merged/file.txt', 'merged');
    const branchHead = await lakefs.commit(repo, 'to-merge', { message: 'on the branch' });
    const mainHead = (await lakefs.getBranch(repo, 'main')).commit_id;
    const merge = await lakefs.merge(repo, 'to-merge', 'main', { message: 'merge to-merge' });
    const commit = await lakefs.getCommit(repo, merge);
    expect(commit).toMatchObject({ message: 'merge to-merge', parents: [mainHead, branchHead.id] });
    expect((await lakefs.getBranch(repo, 'main')).commit_id).toBe(merge);
    await lakefs.deleteBranch(repo, 'to-merge');
  });

  it('commits a given metarange as the whole tree of a branch', async () => {
    await lakefs.createBranch(repo, 'tree-source', 'main');
    await lakefs.createBranch(repo, 'tree-copy', 'main');
    await lakefs.uploadObject(repo, 'tree-source', 'tree/only-here.txt', 'x');
    const built = await lakefs.commit(repo, 'tree-source', { message: 'a tree' });

    const commit = await lakefs.commit(repo, 'tree-copy', { message: 'the same tree' }, { sourceMetarange: built.meta_range_id });

    expect(commit.meta_range_id).toBe(built.meta_range_id);
    const paths = async (branch: string) => (await collect(lakefs.listObjects(repo, branch))).map((o) => o.path);
    expect(await paths('tree-copy')).toEqual(await paths('tree-source'));
    expect(await paths('tree-copy')).toContain('tree/only-here.txt');
  });

  it('creates, reads, lists and deletes tags', async () => {
    const head = await lakefs.getBranch(repo, 'main');
    await lakefs.createTag(repo, 'v1', 'main');
    expect(await lakefs.getTag(repo, 'v1')).toEqual({ id: 'v1', commit_id: head.commit_id });
    expect(await collect(lakefs.listTags(repo))).toEqual([{ id: 'v1', commit_id: head.commit_id }]);
    await expect(lakefs.createTag(repo, 'v1', 'main')).rejects.toBeInstanceOf(LakefsConflictError);
    await lakefs.deleteTag(repo, 'v1');
    await expect(lakefs.getTag(repo, 'v1')).rejects.toBeInstanceOf(LakefsNotFoundError);
  });

  it('locates metarange and range files relative to the namespace', async () => {
    const head = await lakefs.getCommit(repo, (await lakefs.getBranch(repo, 'main')).commit_id);
    expect(await lakefs.metaRangeLocation(repo, head.meta_range_id)).toBe(`_lakefs/${head.meta_range_id}`);
    expect(await lakefs.rangeLocation(repo, 'abc123')).toBe('_lakefs/abc123');
  });

  it('copies a commit record with its exact ID and fields; refuses a duplicate and an ID that does not match the fields', async () => {
    const head = await lakefs.getCommit(repo, (await lakefs.getBranch(repo, 'main')).commit_id);
    const copy = uniqueName('record');
    await lakefs.createRepository({ name: copy, storage_namespace: `s3://${env.source.bucket}/tests/${copy}` }, { bare: true });
    try {
      const record = commitRecordOf(head);
      await lakefs.createCommitRecord(copy, record);
      expect(await lakefs.getCommit(copy, head.id)).toEqual(head);
      await expect(lakefs.createCommitRecord(copy, record)).rejects.toBeInstanceOf(LakefsConflictError);
      // lakeFS derives a commit ID from its fields: a record whose fields differ from its ID is refused.
      await expect(lakefs.createCommitRecord(copy, { ...record, message: 'tampered' })).rejects.toBeInstanceOf(LakefsBadRequestError);
    } finally {
      await lakefs.deleteRepository(copy);
    }
  });

  describe('typed errors', () => {
    it('a missing repository is not found', async () => {
      const error = await lakefs.getRepository('no-such-repository-here').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LakefsNotFoundError);
      expect((error as LakefsNotFoundError).status).toBe(404);
    });

    it('a taken repository name is a conflict', async () => {
      await expect(lakefs.createRepository({ name: repo, storage_namespace: `${namespace}-2` })).rejects.toBeInstanceOf(LakefsConflictError);
    });

    it('wrong credentials are unauthorized, and the secret is not in the error', async () => {
      const stranger = new LakefsClient({
        endpoint: env.config.source.lakefs.endpoint,
        credentials: { accessKeyId: 'AKIANOTAREALKEY00000', secretAccessKey: 'wrong-secret-do-not-print' },
      });
      const error = await stranger.currentUser().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LakefsUnauthorizedError);
      expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('wrong-secret-do-not-print');
    });

    it('a write to a read-only repository is refused as read-only; force writes anyway', async () => {
      const readOnly = uniqueName('readonly');
      await lakefs.createRepository({ name: readOnly, storage_namespace: `s3://${env.source.bucket}/tests/${readOnly}`, read_only: true });
      try {
        await expect(lakefs.uploadObject(readOnly, 'main', 'x.txt', 'x')).rejects.toBeInstanceOf(LakefsReadOnlyRepositoryError);
        await expect(lakefs.createBranch(readOnly, 'dev', 'main')).rejects.toBeInstanceOf(LakefsReadOnlyRepositoryError);
        await lakefs.createBranch(readOnly, 'dev', 'main', { force: true });
        expect((await lakefs.getBranch(readOnly, 'dev')).id).toBe('dev');
        await expect(lakefs.deleteRepository(readOnly)).rejects.toBeInstanceOf(LakefsReadOnlyRepositoryError);
      } finally {
        await lakefs.deleteRepository(readOnly, { force: true });
      }
      await waitFor('the read-only repository to be deleted', async () =>
        lakefs.getRepository(readOnly).then(
          () => false,
          (error: unknown) => error instanceof LakefsNotFoundError,
        ),
      );
    });
  });
});
