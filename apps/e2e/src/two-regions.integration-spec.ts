import { LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { TestRegion, holdBack, release, testRegion } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, mirrorHead } from './pipeline.fixture';

// One source repository mirrored into regions B and C at once (MinIO replicates region A's bucket
// to both, scripts/env-up.sh): each region's mirror moves on what has reached that region only, so
// an object held back from one region holds that region's mirror while the other advances.
describe('one source repository mirrored into two regions at once', () => {
  const pipeline = new PipelineUnderTest();
  const { source } = pipeline.env;
  const regions: Record<'region-b' | 'region-c', TestRegion> = { 'region-b': pipeline.env.regionB, 'region-c': testRegion('region-c') };
  const mirrors = { 'region-b': '', 'region-c': '' };
  let repository: string;

  async function createMirror(region: keyof typeof regions): Promise<string> {
    const name = `${repository}-${region.slice(-1)}`;
    const response = await fetch(`${pipeline.api.url}/service/replication/v1/repositories/${repository}/mirrors`, {
      method: 'POST',
      headers: { ...pipeline.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name, region, storage_namespace: `s3://${regions[region].bucket}/mirrors/${repository}` }),
    });
    if (response.status !== 201) throw new Error(`creating the mirror in ${region}: ${response.status} ${await response.text()}`);
    return name;
  }

  const branchHeads = async (list: AsyncGenerator<{ id: string; commit_id: string }>) =>
    (await collect(list).catch(() => [])).map((b) => `${b.id}=${b.commit_id}`).sort();

  async function waitUntilMirroredIn(region: keyof typeof regions): Promise<void> {
    await waitFor(
      `the mirror in ${region} to catch up with ${repository}`,
      async () =>
        JSON.stringify(await branchHeads(source.lakefs.listBranches(repository))) ===
        JSON.stringify(await branchHeads(regions[region].lakefs.listBranches(mirrors[region]))),
      { timeoutMs: 120_000, intervalMs: 300 },
    );
  }

  /** Holds a new object of the next commit back from `held`, checks that only `held`'s mirror waits for it, then lets it arrive. */
  async function holdBackFromOneRegion(held: keyof typeof regions, other: keyof typeof regions): Promise<void> {
    const previousHead = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    const path = `late/${uniqueName(held)}.csv`;
    await source.lakefs.uploadObject(repository, 'main', path, `held back from ${held}`);
    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    const relative = relativeAddressIn(namespace, (await source.lakefs.statObject(repository, 'main', path)).physical_address);
    expect(relative).toBeDefined();
    const location: ObjectLocation = { bucket: source.bucket, key: `${namespace.prefix}/${relative}` };
    const inHeldRegion: ObjectLocation = { bucket: regions[held].bucket, key: location.key };
    await holdBack(regions[held].s3, inHeldRegion);
    const commit = await commitObjects(source.lakefs, repository, 'main', uniqueName('on-time'), 10);

    await waitFor(
      `the mirror in ${other} to move to ${commit.id}`,
      async () => (await mirrorHead(regions[other].lakefs, mirrors[other], 'main')) === commit.id,
      {
        timeoutMs: 60_000,
      },
    );
    const heldStatus = await waitFor(
      `the status of the mirror in ${held} to name ${location.key} as missing`,
      async () => {
        const status = await pipeline.status(repository, mirrors[held]);
        const inFlight = status.in_flight.find((c) => c.commit_id === commit.id);
        return inFlight?.missing_objects.some((m) => m.key === location.key) ? status : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(heldStatus.region?.name).toBe(held);
    expect(heldStatus.branches.find((b) => b.branch === 'main')).toMatchObject({ mirrored_head: previousHead, up_to_date: false });
    expect(await mirrorHead(regions[held].lakefs, mirrors[held], 'main')).toBe(previousHead);
    await expect(regions[held].lakefs.getCommit(mirrors[held], commit.id)).rejects.toThrow(LakefsNotFoundError);
    const otherStatus = await pipeline.status(repository, mirrors[other]);
    expect(otherStatus.region?.name).toBe(other);
    expect(otherStatus.in_flight).toEqual([]);
    expect(otherStatus.branches.find((b) => b.branch === 'main')).toMatchObject({ mirrored_head: commit.id, up_to_date: true });
    expect((await regions[other].lakefs.getObject(mirrors[other], 'main', path)).toString()).toBe(`held back from ${held}`);

    await release(source.s3, location, regions[held].s3, inHeldRegion);
    await waitFor(
      `the mirror in ${held} to catch up once the object arrived`,
      async () => (await mirrorHead(regions[held].lakefs, mirrors[held], 'main')) === commit.id,
      {
        timeoutMs: 60_000,
      },
    );
    expect((await pipeline.status(repository, mirrors[held])).in_flight).toEqual([]);
    expect((await regions[held].lakefs.getObject(mirrors[held], 'main', path)).toString()).toBe(`held back from ${held}`);
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-two-regions');
    await commitObjects(source.lakefs, repository, 'main', 'base', 20);
    await source.lakefs.createBranch(repository, 'feature', 'main');
    await commitObjects(source.lakefs, repository, 'feature', 'feature', 8);
    mirrors['region-b'] = await createMirror('region-b');
    mirrors['region-c'] = await createMirror('region-c');
  });
  afterAll(async () => {
    await pipeline.stop();
    await source.lakefs.deleteRepository(repository).catch(() => undefined);
    for (const region of ['region-b', 'region-c'] as const) {
      if (mirrors[region]) await regions[region].lakefs.deleteRepository(mirrors[region], { force: true }).catch(() => undefined);
    }
  });

  it('mirrors every branch into both regions with the same commits', async () => {
    await Promise.all([waitUntilMirroredIn('region-b'), waitUntilMirroredIn('region-c')]);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    for (const branch of ['main', 'feature']) {
      const sourceLog = (await collect(source.lakefs.log(repository, branch))).sort(byId);
      for (const region of ['region-b', 'region-c'] as const) {
        expect((await collect(regions[region].lakefs.log(mirrors[region], branch))).sort(byId)).toEqual(sourceLog);
      }
    }
  });

  it("holds only region C's mirror while an object is held back from region C; region B's advances", async () => {
    await holdBackFromOneRegion('region-c', 'region-b');
  });

  it("holds only region B's mirror while an object is held back from region B; region C's advances", async () => {
    await holdBackFromOneRegion('region-b', 'region-c');
  });
});
