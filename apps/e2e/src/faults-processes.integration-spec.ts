import { QueueName } from '@lakemirror/queues';
import { waitFor } from '@lakemirror/testing';
import type { Job } from 'bullmq';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordFault } from './fault-report';
import { startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

/** The verify workers' job lock (pipelineWorkerOptions): a frozen worker loses its job once it lapses. */
const JOB_LOCK_MS = 15_000;
const FROZEN_MS = 25_000;

// Fault 1 of the matrix: a verifier frozen (SIGSTOP: a GC pause, a suspended VM) while it holds
// a verify-chunk job, past the job's lock. Another verifier takes the job over; when the frozen
// one resumes, its late result must change nothing: BullMQ refuses its completion (the lock is
// gone), and nothing is promoted or recorded twice.
describe('a verifier frozen past its job lock', () => {
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_VERIFY_CONCURRENCY: '1' });
  const { source } = pipeline.env;
  let repository: string;
  let mirror: string;

  const workerOf = (name: string) => `${QueueName.CommitVerify}-${hostname()}-${pipeline.processes.get(name)?.pid}`;

  /** Commits until the verifier is caught running a verify-chunk job, and freezes it there. */
  async function freezeHoldingAJob(name: string): Promise<Job> {
    const queue = pipeline.queue(QueueName.CommitVerify);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const commit = await commitObjects(source.lakefs, repository, 'main', `frozen-${attempt}`, 600);
      const caught = await waitFor(
        `a verify-chunk job of ${commit.id} running on ${name}`,
        async () => {
          const jobs = await queue.getJobs(['active']);
          const running = jobs.find((j) => j.name === 'verify-chunk' && j.data.commitId === commit.id && j.processedBy === workerOf(name));
          if (running) pipeline.signal(name, 'SIGSTOP');
          return running ?? ((await queue.getJobs(['completed'])).some((j) => j.data.commitId === commit.id && j.name === 'verify-chunk') && 'missed');
        },
        { timeoutMs: 120_000, intervalMs: 10 },
      );
      if (caught === 'missed') continue;
      // Frozen before it finished? Then the job stays active under its (lapsing) lock.
      await sleep(1_000);
      if ((await queue.getJobState(caught.id as string)) === 'active') return caught;
      pipeline.signal(name, 'SIGCONT');
    }
    throw new Error(`never caught ${name} running a verify-chunk job`);
  }

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-frozen');
    await commitObjects(source.lakefs, repository, 'main', 'base', 20);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  });
  afterAll(async () => {
    if (pipeline.processes.has('verifier')) pipeline.signal('verifier', 'SIGCONT');
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('lets another verifier take the job over, and its late result changes nothing', async () => {
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      const job = await freezeHoldingAJob('verifier');
      const frozenAt = Date.now();
      await commitObjects(source.lakefs, repository, 'main', 'while-frozen', 10);
      await pipeline.start('verifier#2');
      const completed = await waitFor(
        `job ${job.id} to be taken over and completed by verifier#2`,
        async () => {
          const current = await pipeline.queue(QueueName.CommitVerify).getJob(job.id as string);
          return (await current?.getState()) === 'completed' && current;
        },
        { timeoutMs: 120_000 },
      );
      expect(completed.processedBy).toBe(workerOf('verifier#2'));
      expect(Date.now() - frozenAt).toBeGreaterThan(JOB_LOCK_MS);
      await sleep(Math.max(0, frozenAt + FROZEN_MS - Date.now()));

      pipeline.signal('verifier', 'SIGCONT');
      // BullMQ fences the late result: the lock the frozen worker held is gone, so its completion is refused.
      await waitFor(
        `the resumed verifier's completion of ${job.id} to be refused`,
        async () => pipeline.processes.get('verifier')?.output().includes(`Missing lock for job ${job.id}`),
        { timeoutMs: 60_000 },
      );
      const after = await pipeline.queue(QueueName.CommitVerify).getJob(job.id as string);
      expect([after?.processedBy, after?.finishedOn, after?.attemptsMade]).toEqual([completed.processedBy, completed.finishedOn, completed.attemptsMade]);
      await commitObjects(source.lakefs, repository, 'main', 'after-resume', 5);
      checker.faultsEnded();

      const summary = await checker.assertHolds({ timeoutMs: 180_000 });
      const flows = (await pipeline.queue(QueueName.CommitPromote).getJobs(['completed'])).filter(
        (j) => j.name === 'commit-verified' && j.data.commitId === job.data.commitId,
      );
      expect(flows).toHaveLength(1);
      expect(summary.lost).toBe(0);
      expect(summary.moves).toBeGreaterThanOrEqual(3);
      recordFault({
        fault: 'verifier frozen (SIGSTOP) past its job lock, then resumed',
        injections: 1,
        lost: summary.lost,
        convergeSeconds: summary.convergeSeconds,
        detail: `frozen ${Math.round(FROZEN_MS / 1000)} s; its late completion refused`,
      });
    } finally {
      await checker.stop();
    }
  }, 600_000);

  // The checker itself, against real servers: a move it must refuse, made behind the pipeline's back (last: it leaves the mirror behind).
  it('is caught by the history checker when a mirror branch moves backwards', async () => {
    const { regionB } = pipeline.env;
    const checker = startHistoryChecker(pipeline, repository, mirror);
    try {
      const head = (await regionB.lakefs.getBranch(mirror, 'main')).commit_id;
      const parent = (await regionB.lakefs.getCommit(mirror, head)).parents[0];
      await checker.observeNow();
      await regionB.lakefs.hardResetBranch(mirror, 'main', parent, { force: true });
      await expect(checker.assertHolds({ timeoutMs: 3_000 })).rejects.toThrow(`mirror branch main moved backwards from ${head} to ${parent}`);
    } finally {
      await checker.stop();
    }
  });
});
