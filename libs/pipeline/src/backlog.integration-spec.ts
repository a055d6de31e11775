import { EnvReader, loadConfig } from '@lakemirror/config';
import { Commit, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { ObjectLocation, parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { holdBack, migratedSchema, release, testEnvironment } from '@lakemirror/test-environment';
import { uniqueName, waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, createPipeline, registerMirror } from './pipeline.fixture';
import { readPipelineSettings } from './pipeline-settings';

// Invariants 1 and 4 for a backlog: 60 commits made on one branch while the pipeline was down,
// one object of commit #30 kept from region B. Once the pipeline runs, commits are recorded
// parents first up to #29 and no further: a branch whose head is #25 moves there, while `main`
// (head #60) and a branch at #45 land nowhere past #29. Once the object arrives every branch
// reaches its head, and every head ever seen on the mirror was in the source's order.
describe('a backlog made while the pipeline was down', () => {
  const env = testEnvironment();
  const repository = uniqueName('backlog-src');
  const mirror = `${repository}-m`;
  const COMMITS = 60;
  const HELD = 30;
  const HEADS: Record<string, number> = { main: COMMITS, 'before-gap': 25, 'after-gap': 45 };
  const sourceNamespace = parseStorageNamespace(`s3://${env.source.bucket}/mirrors/${repository}`);
  let schema: Awaited<ReturnType<typeof migratedSchema>>;
  let pipeline: PipelineUnderTest | undefined;
  /** history[k] is commit #k; #0 is the repository's first commit. */
  const history: Commit[] = [];
  let held: ObjectLocation;

  const ABSENT = -1;
  const NOT_IN_HISTORY = -2;
  const position = (commitId: string | undefined) => {
    if (commitId === undefined) return ABSENT;
    const at = history.findIndex((c) => c.id === commitId);
    return at === -1 ? NOT_IN_HISTORY : at;
  };
  const head = async (branch: string) => {
    try {
      return (await env.regionB.lakefs.getBranch(mirror, branch)).commit_id;
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  };

  /** Every head each mirror branch showed, sampled as fast as lakeFS answers, with whether the object was still withheld. */
  const seen = new Map<string, { position: number; withheld: boolean }[]>(Object.keys(HEADS).map((b) => [b, []]));
  let withheld = true;
  let sampling = true;
  let sampler: Promise<void> | undefined;
  const sample = async () => {
    while (sampling) {
      for (const branch of Object.keys(HEADS)) {
        const stillWithheld = withheld;
        const commitId = await head(branch);
        const observations = seen.get(branch) ?? [];
        const at = position(commitId);
        if (observations[observations.length - 1]?.position !== at) observations.push({ position: at, withheld: stillWithheld });
      }
    }
  };
  const recordedStates = async () =>
    new Map(
      ((await schema.db.query(`SELECT commit_id, state FROM mirror_commits WHERE mirror_id = $1`, [mirror])) as { commit_id: string; state: string }[]).map(
        (r) => [r.commit_id, r.state],
      ),
    );

  beforeAll(async () => {
    schema = await migratedSchema('lm_backlog');
    await env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${sourceNamespace.bucket}/${sourceNamespace.prefix}`,
      default_branch: 'main',
    });
    history.push(await env.source.lakefs.getCommit(repository, (await env.source.lakefs.getBranch(repository, 'main')).commit_id));
    for (let k = 1; k <= COMMITS; k++) {
      await env.source.lakefs.uploadObject(repository, 'main', `commit-${k}/a.csv`, `a ${k}`);
      await env.source.lakefs.uploadObject(repository, 'main', `commit-${k}/b.csv`, `b ${k}`);
      history.push(await env.source.lakefs.commit(repository, 'main', { message: `commit #${k}` }));
      for (const [branch, at] of Object.entries(HEADS))
        if (at === k && branch !== 'main') await env.source.lakefs.createBranch(repository, branch, history[k].id);
    }
    const address = (await env.source.lakefs.statObject(repository, history[HELD].id, `commit-${HELD}/a.csv`)).physical_address;
    held = { bucket: env.regionB.bucket, key: `${sourceNamespace.prefix}/${relativeAddressIn(sourceNamespace, address)}` };
    await holdBack(env.regionB.s3, held);
  });
  afterAll(async () => {
    sampling = false;
    await sampler;
    await pipeline?.close();
    await schema?.drop();
    await env.source.lakefs.deleteRepository(repository).catch(() => undefined);
    await env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  });

  it('is promoted in order, never past a commit whose object is missing, and to the end once it arrives', async () => {
    pipeline = await createPipeline(
      { ...loadConfig(), databaseSchema: schema.schema, queuePrefix: uniqueName('lmq') },
      // Short backoffs, so that the checks waiting for the object see it soon after it lands.
      readPipelineSettings(new EnvReader({ LAKEMIRROR_SCAN_INTERVAL_MS: '1000', LAKEMIRROR_RETRY_BASE_MS: '100', LAKEMIRROR_RETRY_CAP_MS: '1000' })),
      ['scanner', 'verifier', 'promoter'],
    );
    await registerMirror(schema.db, env.regionB.lakefs, {
      id: mirror,
      sourceRepository: repository,
      storageNamespace: `s3://${env.regionB.bucket}/${sourceNamespace.prefix}`,
    });
    sampler = sample();
    await pipeline.scanner.enqueueScan(mirror);

    // Everything before the gap recorded, the branch before it moved, and the gap seen as missing.
    await waitFor(
      'the commits before #30 to be recorded and #30 to be found incomplete',
      async () => {
        const states = await recordedStates();
        const before = history.slice(0, HELD).every((c) => states.get(c.id) === 'recorded');
        const gapSeen = (await pipeline?.missing.ofCommit(mirror, history[HELD].id))?.some((m) => m.key === held.key);
        return before && gapSeen && (await head('before-gap')) === history[25].id;
      },
      { timeoutMs: 300_000 },
    );
    const states = await recordedStates();
    expect(history.slice(HELD).filter((c) => states.get(c.id) === 'recorded')).toEqual([]);
    await expect(env.regionB.lakefs.getCommit(mirror, history[HELD].id)).rejects.toThrow(LakefsNotFoundError);
    expect(await head('main')).toBeUndefined();
    expect(await head('after-gap')).toBeUndefined();

    withheld = false;
    await release(env.source.s3, { bucket: env.source.bucket, key: held.key }, env.regionB.s3, held);
    await waitFor(
      'every mirror branch to reach its source head',
      async () => (await Promise.all(Object.entries(HEADS).map(async ([branch, at]) => (await head(branch)) === history[at].id))).every(Boolean),
      { timeoutMs: 300_000 },
    );
    sampling = false;
    await sampler;

    expect((await collect(env.regionB.lakefs.log(mirror, 'main'))).map((c) => c.id)).toEqual([...history].reverse().map((c) => c.id));
    for (const [branch, at] of Object.entries(HEADS)) {
      const observations = seen.get(branch) ?? [];
      // Never anywhere past #29 while #30's object was missing.
      expect(observations.filter((o) => o.withheld && o.position >= HELD)).toEqual([]);
      // Only forward, through commits of the source's history, to the source head.
      const positions = observations.map((o) => o.position);
      expect(positions).not.toContain(NOT_IN_HISTORY);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(positions[positions.length - 1]).toBe(at);
    }
  }, 900_000);
});
