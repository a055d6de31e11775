import { Commit, collect } from '@lakemirror/lakefs-client';
import { QueueName } from '@lakemirror/queues';
import { waitFor } from '@lakemirror/testing';
import { Job } from 'bullmq';
import { hostname } from 'node:os';
import { PipelineUnderTest, commitObjects, waitUntilMirrored, waitUntilReplicated } from './pipeline.fixture';

/** BullMQ's lock on a running job (libs/pipeline pipelineWorkerOptions): a process that does not hand back its jobs loses them only after this. */
const LOCK_MS = 15_000;
/** Enough objects for eight chunks or more, two at a time; more only makes the upload longer (about 10 s per 1,000 here). */
const OBJECTS = 2_000;
/** Chunks of 250 objects looked up one at a time: each takes long enough (about 100 ms, several hundred under load) for a SIGTERM to land inside it. */
const CHUNK_OBJECTS = 250;
/** A chunk that started this recently is most likely still running when the signal arrives. */
const JUST_STARTED_MS = 200;

interface LogLine {
  time: number;
  msg: string;
  [field: string]: unknown;
}

function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      return typeof parsed?.msg === 'string' ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

// Graceful shutdown under an orchestrator: on SIGTERM a verifier stops taking jobs and finishes (or
// hands back) the one it runs before the grace period ends, and exits 0. The chunk it was checking
// is completed, by it or by the other verifier; the commit is promoted once, and nothing is lost.
describe('a verifier stopped with SIGTERM in the middle of a chunk', () => {
  const pipeline = new PipelineUnderTest({
    LAKEMIRROR_VERIFY_CHUNK_OBJECTS: String(CHUNK_OBJECTS),
    LAKEMIRROR_VERIFY_CONCURRENCY: '1',
    LAKEMIRROR_VERIFY_REQUEST_CONCURRENCY: '1',
  });
  const { source, regionB } = pipeline.env;
  const workerName = (name: string) => `${QueueName.CommitVerify}-${hostname()}-${pipeline.processes.get(name)?.pid}`;
  let repository: string;
  let mirror: string;

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'promoter', 'verifier', 'verifier#2');
    repository = await pipeline.createSourceRepository('e2e-sigterm');
  });
  afterAll(async () => {
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('finishes or hands back its chunk, exits 0 within the lock time, and the commit is mirrored once', async () => {
    const large: Commit = await commitObjects(source.lakefs, repository, 'main', 'large', OBJECTS);
    // Everything is in region B first: no chunk fails for a late object, so any retry would be the shutdown's doing.
    await waitUntilReplicated(pipeline, repository);
    const stopping = pipeline.processes.get('verifier');
    const stoppingWorker = workerName('verifier');
    const otherWorker = workerName('verifier#2');
    const verify = pipeline.queue(QueueName.CommitVerify);
    mirror = await pipeline.createMirror(repository);

    // A chunk of the large commit that the first verifier just started, with more waiting: should that
    // chunk end before the signal lands, the verifier (one job at a time) is already in the next one.
    const observed = await waitFor(
      `verifier (${stoppingWorker}) to start a chunk of ${large.id}`,
      async () => {
        const job = (await verify.getJobs(['active'])).find(
          (active) =>
            active.name === 'verify-chunk' &&
            active.data.commitId === large.id &&
            active.processedBy === stoppingWorker &&
            Date.now() - (active.processedOn ?? 0) < JUST_STARTED_MS,
        );
        return job && (await verify.getWaitingCount()) >= 2 ? job : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    const signalled = Date.now();
    const code = await stopping?.stop();
    const exited = Date.now();

    expect(code).toBe(0);
    expect(exited - signalled).toBeLessThan(LOCK_MS + 5_000);
    const lines = logLines(stopping?.output() ?? '');
    const stoppingAt = lines.find((line) => line.msg === 'verifier stopping')?.time as number;
    expect(stoppingAt).toBeGreaterThanOrEqual(signalled - 1_000);
    expect(lines.map((line) => line.msg)).toContain('verifier stopped');
    // Nothing failed on the way out (a chunk cut off by closed connections would log "verify-chunk failed").
    expect(lines.filter((line) => (line.level as number) >= 40)).toEqual([]);

    await waitUntilMirrored(pipeline, repository, mirror, 60_000);
    const chunks = (await verify.getJobs(['completed'])).filter((job) => job.name === 'verify-chunk' && job.data.commitId === large.id);

    // The chunk the verifier was in when it began to stop: finished by it before it exited, or handed
    // back and completed by the other verifier.
    const finishedWhileStopping = chunks.filter(
      (job) => job.processedBy === stoppingWorker && (job.processedOn as number) <= stoppingAt && (job.finishedOn as number) > stoppingAt,
    );
    expect(finishedWhileStopping.length).toBeLessThanOrEqual(1);
    const atSigterm = finishedWhileStopping[0] ?? ((await verify.getJob(observed.id as string)) as Job);
    expect(await atSigterm.getState()).toBe('completed');
    if (atSigterm.processedBy === stoppingWorker) {
      // (Finished before the verifier began to stop would mean it was between chunks, not in one.)
      expect(atSigterm.finishedOn).toBeGreaterThan(stoppingAt);
      expect(atSigterm.finishedOn).toBeLessThanOrEqual(exited);
    } else {
      expect(atSigterm.id).toBe(observed.id);
      expect(atSigterm.processedBy).toBe(otherWorker);
    }

    // Every chunk of the commit checked, each by one completed job; none failed for good.
    const planned: { range_id: string; first_entry: number; checked_at: Date | null }[] = await pipeline.db.query(
      `SELECT range_id, first_entry, checked_at FROM commit_chunks WHERE mirror_id = $1 AND commit_id = $2`,
      [mirror, large.id],
    );
    expect(planned.length).toBeGreaterThanOrEqual(OBJECTS / CHUNK_OBJECTS);
    expect(planned.filter((row) => row.checked_at === null)).toEqual([]);
    expect(chunks.map((job) => `${job.data.rangeId}@${job.data.firstEntry}`).sort()).toEqual(planned.map((row) => `${row.range_id}@${row.first_entry}`).sort());
    // A chunk handed back is taken again without a failed attempt; none failed, since everything had replicated.
    expect(chunks.filter((job) => job.attemptsMade !== 1).map((job) => job.id)).toEqual([]);
    const failed = async (queue: QueueName) =>
      (await pipeline.queue(queue).getJobs(['failed'])).map((job) => ({ name: job.name, id: job.id, reason: job.failedReason }));
    expect(await failed(QueueName.CommitVerify)).toEqual([]);
    expect(await failed(QueueName.CommitPromote)).toEqual([]);

    // Each commit recorded once, in its first generation (no flow lost or planned again), and the mirror's log is the source's.
    const sourceLog = await collect(source.lakefs.log(repository, 'main'));
    const rows: { commit_id: string; state: string; generation: number }[] = await pipeline.db.query(
      `SELECT commit_id, state, generation FROM mirror_commits WHERE mirror_id = $1`,
      [mirror],
    );
    const byCommit = (a: { commit_id: string }, b: { commit_id: string }) => a.commit_id.localeCompare(b.commit_id);
    expect(rows.sort(byCommit)).toEqual(sourceLog.map((c) => ({ commit_id: c.id, state: 'recorded', generation: 0 })).sort(byCommit));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect((await collect(regionB.lakefs.log(mirror, 'main'))).sort(byId)).toEqual([...sourceLog].sort(byId));
    const promoted = logLines(pipeline.processes.get('promoter')?.output() ?? '').filter((line) => line.msg === 'commit recorded on the mirror');
    expect(promoted.map((line) => line.commit).sort()).toEqual(sourceLog.map((c) => c.id).sort());
  });
});
