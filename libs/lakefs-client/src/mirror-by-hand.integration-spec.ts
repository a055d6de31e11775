import { checkObjectsExist, listKeys, objectInNamespace, parseStorageNamespace } from '@lakemirror/object-store';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { randomBytes } from 'node:crypto';
import { LakefsReadOnlyRepositoryError } from './lakefs.errors';
import { commitRecordOf } from './commit-record';
import { collect } from './paginate';
import { localLakefs } from './local-lakefs.fixture';

// The whole mirroring mechanism, step by step, against the real servers: objects travel by
// MinIO's bucket replication only; the mirror gets commit records with the source's IDs.
describe('mirroring a commit by hand across two regions', () => {
  const env = localLakefs();
  const repo = uniqueName('byhand');
  const mirror = `${repo}-mirror`;
  const prefix = `tests/${repo}`;
  const sourceNamespace = `s3://${env.source.bucket}/${prefix}`;
  const mirrorNamespace = `s3://${env.regionB.bucket}/${prefix}`;
  const contents = new Map<string, Buffer>();

  afterAll(async () => {
    await env.source.lakefs.deleteRepository(repo).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  it('replicates objects and commits so that the mirror reads the same bytes under the same commit IDs', async () => {
    const source = env.source.lakefs;
    const destination = env.regionB.lakefs;

    // 1. Objects and commits on the source, including a branch merged back.
    await source.createRepository({ name: repo, storage_namespace: sourceNamespace, default_branch: 'main' });
    for (let i = 0; i < 12; i++) contents.set(`tables/t${i % 3}/part-${i}.bin`, randomBytes(1 + i * 7_919));
    contents.set('big/blob.bin', randomBytes(3 * 1024 * 1024));
    const [first, ...rest] = [...contents.entries()];
    await source.uploadObject(repo, 'main', first[0], first[1]);
    await source.commit(repo, 'main', { message: 'first object', metadata: { step: '1' } });
    await source.createBranch(repo, 'ingest', 'main');
    for (const [path, bytes] of rest) await source.uploadObject(repo, 'ingest', path, bytes);
    await source.commit(repo, 'ingest', { message: 'the rest' });
    const merge = await fetch(`${source.endpoint}/repositories/${repo}/refs/ingest/merge/main`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${env.config.source.lakefs.accessKeyId}:${env.config.source.lakefs.secretAccessKey.reveal()}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ message: 'merge ingest' }),
    });
    expect(merge.status).toBe(200);
    const sourceLog = await collect(source.log(repo, 'main'));
    expect(sourceLog.map((c) => c.message)).toEqual(['merge ingest', 'the rest', 'first object', 'Repository created']);

    // 2. Wait until MinIO has replicated every object of the namespace (data and _lakefs metadata) to region B.
    const sourceKeys = await collect(listKeys(env.source.s3, env.source.bucket, `${prefix}/`));
    expect(sourceKeys.some((key) => key.includes('/_lakefs/'))).toBe(true);
    expect(sourceKeys.length).toBeGreaterThan(contents.size);
    const mirrorNs = parseStorageNamespace(mirrorNamespace);
    const inRegionB = sourceKeys.map((key) => objectInNamespace(mirrorNs, key.slice(prefix.length + 1)));
    await waitFor('MinIO to replicate the namespace to region B', async () => (await checkObjectsExist(env.regionB.s3, inRegionB)).missing.length === 0, {
      timeoutMs: 90_000,
    });

    // 3. A bare, read-only repository on the destination lakeFS, on region B's copy of the namespace.
    const created = await destination.createRepository(
      { name: mirror, storage_namespace: mirrorNamespace, default_branch: 'main', read_only: true },
      { bare: true },
    );
    expect(created).toMatchObject({ id: mirror, storage_namespace: mirrorNamespace });
    expect(await destination.getRepository(mirror)).toMatchObject({ id: mirror, storage_namespace: mirrorNamespace, read_only: true });
    expect(await collect(destination.listBranches(mirror))).toEqual([]);

    // 4. Commit records with the source's exact IDs, parents before children, then the branch.
    for (const commit of [...sourceLog].reverse()) {
      await destination.createCommitRecord(mirror, commitRecordOf(commit, { force: true }));
    }
    await destination.createBranch(mirror, 'main', sourceLog[0].id, { force: true });

    // 5. The mirror has the same log and serves the same bytes, read through the destination lakeFS.
    // (lakeFS orders commits of the same second arbitrarily in a log, so compare them by ID.)
    const byId = (log: typeof sourceLog) => [...log].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await collect(destination.log(mirror, 'main')))).toEqual(byId(sourceLog));
    const listed = await collect(destination.listObjects(mirror, 'main'));
    expect(listed.map((o) => o.path).sort()).toEqual([...contents.keys()].sort());
    for (const [path, bytes] of contents) {
      const read = await destination.getObject(mirror, 'main', path);
      expect(read.equals(bytes)).toBe(true);
    }

    // 6. Users cannot write to the mirror.
    await expect(destination.uploadObject(mirror, 'main', 'intruder.txt', 'nope')).rejects.toBeInstanceOf(LakefsReadOnlyRepositoryError);
    await expect(destination.commit(mirror, 'main', { message: 'nope', allow_empty: true })).rejects.toBeInstanceOf(LakefsReadOnlyRepositoryError);
  });
});
