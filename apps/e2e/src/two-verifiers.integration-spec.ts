import { collect } from '@lakemirror/lakefs-client';
import { QueueName } from '@lakemirror/queues';
import { hostname } from 'node:os';
import { PipelineUnderTest, commitObjects, waitUntilMirrored, waitUntilReplicated } from './pipeline.fixture';

// Horizontal scaling: two verifier processes on the same queues share one large commit's chunks,
// each chunk checked by one of them, with one commit record per commit on the mirror.
describe('two verifiers', () => {
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_VERIFY_CHUNK_OBJECTS: '100', LAKEMIRROR_VERIFY_CONCURRENCY: '1' });
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'promoter', 'verifier', 'verifier#2');
    repository = await pipeline.createSourceRepository('e2e-scale');
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('share the chunks of a large commit without doing any twice', async () => {
    const large = await commitObjects(source.lakefs, repository, 'main', 'large', 3_000);
    // Everything is in region B before mirroring starts, so that no chunk fails for a late object
    // and a second attempt can only mean work done twice.
    await waitUntilReplicated(pipeline, repository);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);

    const chunks = (await pipeline.queue(QueueName.CommitVerify).getJobs(['completed'])).filter(
      (job) => job.name === 'verify-chunk' && job.data.commitId === large.id,
    );
    expect(chunks.length).toBeGreaterThanOrEqual(30);
    const byProcess = new Map<string, number>();
    for (const job of chunks) byProcess.set(job.processedBy as string, (byProcess.get(job.processedBy as string) ?? 0) + 1);
    expect(byProcess.size).toBe(2);
    expect([...byProcess.keys()].sort()).toEqual(
      ['verifier', 'verifier#2'].map((name) => `${QueueName.CommitVerify}-${hostname()}-${pipeline.processes.get(name)?.pid}`).sort(),
    );
    expect(new Set(chunks.map((job) => job.id)).size).toBe(chunks.length);
    expect(chunks.every((job) => job.attemptsMade === 1)).toBe(true);

    const planned: { n: string }[] = await pipeline.db.query(
      `SELECT count(*) AS n FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2 AND checked_at IS NOT NULL`,
      [mirror, large.id],
    );
    expect(Number(planned[0].n)).toBe(chunks.length);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect((await collect(regionB.lakefs.log(mirror, 'main'))).sort(byId)).toEqual((await collect(source.lakefs.log(repository, 'main'))).sort(byId));
  });
});
