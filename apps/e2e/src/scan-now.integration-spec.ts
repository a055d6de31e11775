import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// On-demand scans (what a lakeFS post-commit hook would call): with a scan interval of an hour,
// a new commit is mirrored as soon as the API is asked to scan.
describe('scan now', () => {
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_SCAN_INTERVAL_MS: '3600000' });
  const { source } = pipeline.env;
  let repository: string;
  let mirror: string;
  const scan = (repo: string, id: string) =>
    fetch(`${pipeline.api.url}/service/replication/v1/repositories/${repo}/mirrors/${id}/scan`, { method: 'POST', headers: pipeline.auth });

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-scan-now');
    await commitObjects(source.lakefs, repository, 'main', 'first', 5);
    mirror = await pipeline.createMirror(repository);
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('mirrors a new commit when asked, long before the next scheduled scan', async () => {
    expect((await scan(repository, mirror)).status).toBe(202);
    await waitUntilMirrored(pipeline, repository, mirror, 30_000);
    await commitObjects(source.lakefs, repository, 'main', 'second', 5);
    expect((await scan(repository, mirror)).status).toBe(202);
    await waitUntilMirrored(pipeline, repository, mirror, 30_000);
  });

  it('answers 404 for a mirror that does not exist', async () => {
    const response = await scan(repository, 'no-such-mirror');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ message: `mirror "no-such-mirror" of repository "${repository}" not found` });
  });
});
