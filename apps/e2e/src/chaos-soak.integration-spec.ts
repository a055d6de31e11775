import { PostgresInstance, RedisInstance, freePort } from '@lakemirror/testing';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChaos } from './chaos/chaos-run';
import { FaultInjector } from './chaos/fault-injector';
import { planFaults } from './chaos/fault-schedule';
import { SeededRandom, soakSeed } from './chaos/seeded-random';
import { faultTotals, soakSummary } from './chaos/soak-summary';
import { SourceDriver } from './chaos/source-driver';
import { SourceWorkload } from './chaos/source-workload';
import { faultReportFile, recordFault } from './fault-report';
import { HistoryChecker, startHistoryChecker } from './history-checker';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Fault 7: a seeded chaos soak. While the source gets random commits, merges, new branches,
// branch deletes and hard resets backwards, the pipeline's processes are killed and restarted,
// its own Redis goes down (back with its data, or empty), its own PostgreSQL crashes or stops,
// and objects are held back from region B. Then the history checker must pass. What happens and
// when comes from the seed (LAKEMIRROR_SOAK_SEED, printed first); replaying a seed replays the
// same faults and source operations, though their interleaving with the pipeline's own async
// work (and how many operations fit in the run) varies with the machine's speed.
// LAKEMIRROR_SOAK_SECONDS bounds the faults: 120 s here unless set; `npm run soak` runs 600 s.
const soakSeconds = Number(process.env.LAKEMIRROR_SOAK_SECONDS || 120);
if (!Number.isInteger(soakSeconds) || soakSeconds < 10) {
  throw new Error(`LAKEMIRROR_SOAK_SECONDS must be a whole number of seconds, at least 10, not "${process.env.LAKEMIRROR_SOAK_SECONDS}"`);
}
// The test suite replays one seed that is known to exercise every kind of fault, so that its
// outcome depends on the code and not on the draw; scripts/soak.sh draws a fresh seed each run.
const SUITE_SEED = '247641845';
const seed = soakSeed(process.env.LAKEMIRROR_SOAK_SEED ?? SUITE_SEED);
const eventLog = path.join(path.dirname(faultReportFile()), `chaos-soak-${seed}.log`);

describe(`a chaos soak (seed ${seed}, ${soakSeconds} s of faults)`, () => {
  let redis: RedisInstance;
  let postgres: PostgresInstance;
  let pipeline: PipelineUnderTest;
  let repository: string;
  let mirror: string;
  let checker: HistoryChecker | undefined;

  const log = (line: string) => appendFileSync(eventLog, `${line}\n`);

  beforeAll(async () => {
    mkdirSync(path.dirname(eventLog), { recursive: true });
    writeFileSync(
      eventLog,
      `chaos soak: seed ${seed}, ${soakSeconds} s of faults (replay: LAKEMIRROR_SOAK_SEED=${seed} LAKEMIRROR_SOAK_SECONDS=${soakSeconds})\n`,
    );
    console.log(`chaos soak: seed ${seed}, ${soakSeconds} s of faults; events in ${eventLog}`);
    redis = await RedisInstance.start(await freePort());
    postgres = await PostgresInstance.start(await freePort());
    pipeline = new PipelineUnderTest({ LAKEMIRROR_REDIS_URL: redis.url, LAKEMIRROR_DATABASE_URL: postgres.url, LAKEMIRROR_VERIFY_CHUNK_OBJECTS: '50' });
    // The API first: four apps starting at once on a busy machine can outlast the start timeout.
    await pipeline.start('api');
    await pipeline.start('scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-chaos');
    await commitObjects(pipeline.env.source.lakefs, repository, 'main', 'base', 10);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);
  }, 300_000);
  afterAll(async () => {
    await checker?.stop();
    await pipeline?.stop();
    await redis?.stop();
    await postgres?.stop();
    await pipeline?.deleteRepositories(repository, mirror);
  });

  /** Which apps are not running any more, and the end of every process's output: for failure messages. */
  const diagnostics = () => {
    const dead = [...pipeline.processes].filter(([, app]) => !isAlive(app.pid)).map(([name]) => name);
    const outputs = pipeline.allOutput().map(({ key, output }) => `--- ${key}\n${output.slice(-1500)}`);
    return `seed ${seed} (events in ${eventLog}); apps no longer running: ${dead.join(', ') || 'none'}\n${outputs.join('\n')}`;
  };

  it(
    'keeps every history invariant through the faults and converges once they stop',
    async () => {
      const random = new SeededRandom(seed);
      const source = new SourceDriver(pipeline.env, repository);
      const injector = new FaultInjector(pipeline, { redis, postgres }, source, random.fork('fault targets'));
      checker = startHistoryChecker(pipeline, repository, mirror);

      const tally = await runChaos({
        seconds: soakSeconds,
        faults: planFaults(random.fork('faults'), soakSeconds),
        workload: new SourceWorkload(random.fork('workload')),
        applyOperation: (operation) => source.apply(operation),
        injectFault: (fault) => injector.inject(fault),
        log,
      }).catch((error: Error) => {
        log(`failed while injecting: ${error.message}`);
        throw new Error(`the chaos run failed: ${error.message}\n${diagnostics()}`);
      });
      checker.faultsEnded();
      log('faults ended: waiting for the mirror to converge');
      const history = await checker.assertHolds({ timeoutMs: 600_000 }).catch((error: Error) => {
        log(`failed: ${error.message}`);
        throw new Error(`${error.message}\n${diagnostics()}`);
      });

      const summary = soakSummary({ seed, tally, commitsMirrored: history.commitsRecorded, convergeSeconds: history.convergeSeconds });
      log(summary);
      console.log(summary);
      const totals = faultTotals(tally);
      recordFault({
        fault: `chaos soak (seed ${seed}, ${soakSeconds} s)`,
        injections: totals.injected,
        lost: history.lost,
        convergeSeconds: history.convergeSeconds,
      });
      expect(history.lost).toBe(0);
      expect(totals.survived).toBe(totals.injected);
      expect(Object.values(tally.operations).reduce((n, c) => n + c.done, 0)).toBeGreaterThan(0);
      expect(history.commitsRecorded).toBeGreaterThan(0);
    },
    soakSeconds * 3_000 + 900_000,
  );
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
