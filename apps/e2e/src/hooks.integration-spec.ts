import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { QueueName } from '@lakemirror/queues';
import { waitFor } from '@lakemirror/testing';
import { PipelineUnderTest, commitObjects, mirrorHead, waitUntilMirrored } from './pipeline.fixture';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../bin/lakemirror');
const TICK = 'scan interval elapsed: enqueuing a scan of every active mirror';

/** Runs bin/lakemirror; resolves with its exit code and outputs whatever the code. */
async function lakemirror(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, args, { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The poll ticks a scanner process logged (debug level), each the start of a scheduled scan of every mirror. */
const ticksOf = (output: string) => output.split('\n').filter((line) => line.includes(TICK)).length;

// Event-driven mirroring against the real servers: `lakemirror hooks --install` commits an actions
// file to the source; the source lakeFS then calls lakemirror's hook endpoint after each change, so
// that with a poll interval of 60 s the mirror still follows a commit long before the next poll.
describe('event-driven mirroring with lakeFS hooks', () => {
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_SCAN_INTERVAL_MS: '60000', LAKEMIRROR_LOG_LEVEL: 'debug' });
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;
  let cli: Record<string, string>;
  const hookScans = async (): Promise<Record<string, string>[]> =>
    (
      await pipeline.db.query(`SELECT detail FROM audit_log WHERE actor = $1 AND action = 'mirror.scan' AND result = 'success' ORDER BY id`, [`hook:${mirror}`])
    ).map((row: { detail: Record<string, string> }) => row.detail);
  /** lakeFS's own record of the action runs (event, status), for failure messages. */
  const actionRuns = async () => {
    const response = await fetch(`${source.lakefs.endpoint}/repositories/${repository}/actions/runs?amount=50`, { headers: pipeline.auth });
    const runs = ((await response.json()) as { results?: { event_type: string; status: string; branch: string; commit_id: string }[] }).results ?? [];
    return runs.map((run) => `${run.event_type}:${run.status}:${run.branch}`);
  };
  const scanner = () => pipeline.processes.get('scanner')?.output() ?? '';

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-hooks');
    await commitObjects(source.lakefs, repository, 'main', 'first', 5);
    mirror = await pipeline.createMirror(repository);
    cli = { LAKEMIRROR_API_URL: pipeline.api.url, LAKECTL_SERVER_ENDPOINT_URL: source.lakefs.endpoint };
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('installs the actions file on the source after asking, and lakeFS runs it: the install commit itself is mirrored', async () => {
    const unconfirmed = await lakemirror(['hooks', repository, '--install'], cli);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('no terminal to ask on: pass --yes to confirm');

    // A commit would take someone's uncommitted work along: refused (409, exit 5) before any token changes.
    await source.lakefs.uploadObject(repository, 'main', 'work-in-progress.txt', 'not mine to commit');
    const busy = await lakemirror(['hooks', repository, '--install', '--yes'], cli);
    expect(busy).toMatchObject({ code: 5, stdout: '' });
    expect(busy.stderr).toContain(`${repository}@main has uncommitted changes (e.g. work-in-progress.txt)`);
    await source.lakefs.deleteObject(repository, 'main', 'work-in-progress.txt');

    const installed = await lakemirror(['hooks', repository, '--install', '--yes', '--json'], cli);
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(installed.stdout);
    expect(result).toMatchObject({
      repository,
      path: '_lakefs_actions/lakemirror.yaml',
      installed: { branch: 'main' },
      mirrors: [{ mirror_id: mirror, url: `${pipeline.api.url}/service/replication/v1/hooks/mirrors/${mirror}/scan` }],
    });
    expect((await source.lakefs.getBranch(repository, 'main')).commit_id).toBe(result.installed.commit_id);
    expect((await source.lakefs.getObject(repository, 'main', '_lakefs_actions/lakemirror.yaml')).toString()).toBe(result.actions_file);

    // The mirror was created after the scanner's first poll: only the post-commit hook can have asked for this scan.
    await waitUntilMirrored(pipeline, repository, mirror, 45_000);
    expect(await hookScans()).toContainEqual(expect.objectContaining({ trigger: 'lakefs-hook', event_type: 'post-commit', branch_id: 'main' }));
  });

  it('mirrors a commit before the next poll is due (the scanner did not poll in between)', async () => {
    // A fresh scanner polls once as it starts, then not for 60 s. Stopped gracefully: a killed scan
    // job would hold its job ID (and so swallow the hook's scan) until BullMQ finds it stalled.
    await pipeline.processes.get('scanner')?.stop();
    pipeline.processes.delete('scanner');
    await pipeline.start('scanner');
    await waitFor('the new scanner to poll once', async () => ticksOf(scanner()) === 1, { timeoutMs: 30_000 });

    const commit = await commitObjects(source.lakefs, repository, 'main', 'second', 5);
    await waitFor(`mirror branch main to reach ${commit.id}`, async () => (await mirrorHead(regionB.lakefs, mirror, 'main')) === commit.id, {
      timeoutMs: 45_000,
      intervalMs: 100,
    }).catch(async (error: Error) => {
      const calls = JSON.stringify((await hookScans()).slice(-3));
      const job = await pipeline.queue(QueueName.MirrorScan).getJob(`scan-${mirror}`);
      const state = job ? `${await job.getState()} ${JSON.stringify({ processedOn: job.processedOn, timestamp: job.timestamp })}` : 'none';
      const status = JSON.stringify(await pipeline.status(repository, mirror));
      throw new Error(`${error.message}; last hook calls: ${calls}; scan job: ${state}; status: ${status}; scanner: ${scanner().slice(-3000)}`);
    });
    expect(ticksOf(scanner())).toBe(1);
    expect(scanner()).toMatch(
      new RegExp(`"commit":"${commit.id}"[^\\n]*"msg":"source branch moved"|"msg":"source branch moved"[^\\n]*"commit":"${commit.id}"`),
    );
  });

  it('is called on merges and on branch and tag creation and deletion', async () => {
    // From main's commit ID, not its name: lakeFS reads a new branch's actions from the ref as given,
    // and caches a ref's list of action files for 5-7.5 s, so "main" may still list none of the
    // file installed a moment ago (every other event names a commit ID).
    const head = (await source.lakefs.getBranch(repository, 'main')).commit_id;
    await source.lakefs.createBranch(repository, 'feature', head);
    await commitObjects(source.lakefs, repository, 'feature', 'third', 3);
    await source.lakefs.merge(repository, 'feature', 'main', { message: 'merge feature' });
    await source.lakefs.createTag(repository, 'v1', 'main');
    await source.lakefs.deleteTag(repository, 'v1');
    await source.lakefs.deleteBranch(repository, 'feature');
    const events = ['post-commit', 'post-merge', 'post-create-branch', 'post-delete-branch', 'post-create-tag', 'post-delete-tag'];
    await waitFor('a hook call for each kind of change', async () => {
      const seen = new Set((await hookScans()).map((scan) => scan.event_type));
      return events.every((event) => seen.has(event));
    }).catch(async (error: Error) => {
      const seen = [...new Set((await hookScans()).map((scan) => scan.event_type))];
      throw new Error(`${error.message}; seen: ${seen.join(', ')}; lakeFS action runs: ${JSON.stringify(await actionRuns())}`);
    });
    expect(await hookScans()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event_type: 'post-create-branch', branch_id: 'feature', repository_id: repository }),
        expect.objectContaining({ event_type: 'post-merge', branch_id: 'main' }),
        expect.objectContaining({ event_type: 'post-create-tag', tag_id: 'v1' }),
        expect.objectContaining({ event_type: 'post-delete-branch', branch_id: 'feature' }),
      ]),
    );
    await waitUntilMirrored(pipeline, repository, mirror, 45_000);
  });

  it('refuses the hooks of a file whose token was replaced (401, audited)', async () => {
    // Printing a new file issues a new token: the installed file's is refused from then on.
    // With --token-env the file names a variable of the lakeFS server instead of holding the token.
    const printed = await lakemirror(['hooks', repository, '--yes', '--token-env'], cli);
    expect(printed.code).toBe(0);
    const variable = `LAKEFSACTION_LAKEMIRROR_${mirror.toUpperCase().replace(/-/g, '_')}`;
    expect(printed.stdout).toContain(`url: "${pipeline.api.url}/service/replication/v1/hooks/mirrors/${mirror}/scan"`);
    expect(printed.stdout).toContain(`Authorization: "Bearer {{ ENV.${variable} }}"`);
    expect(printed.stdout).not.toContain('lmh_');
    expect(printed.stderr).toContain(`commit this as _lakefs_actions/lakemirror.yaml to ${repository}'s default branch`);
    expect(printed.stderr).toMatch(new RegExp(`set on the lakeFS server .*: ${variable}=lmh_[A-Za-z0-9_-]{43}\n`));
    await commitObjects(source.lakefs, repository, 'main', 'fourth', 1);
    const refusals = () =>
      pipeline.db.query(`SELECT detail FROM audit_log WHERE action = 'auth.failed' AND target = $1`, [`/service/replication/v1/hooks/mirrors/${mirror}/scan`]);
    await waitFor('lakeFS to call with the replaced token', async () => (await refusals()).length > 0);
    expect((await refusals())[0].detail).toMatchObject({ status: 401, reason: 'wrong hook token (or no such mirror)' });
  });
});
