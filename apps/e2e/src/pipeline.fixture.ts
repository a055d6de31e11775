// Test support: the whole pipeline (API, scanner, verifiers, promoter) as separate processes on
// a PostgreSQL schema and a queue prefix of the test's own, with fast timings.
import { Commit, LakefsClient, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { findMissingKeys, listKeys, mapWithConcurrency } from '@lakemirror/object-store';
import { MirrorStatus } from '@lakemirror/pipeline';
import { QueueName } from '@lakemirror/queues';
import { Queue } from 'bullmq';
import { TestEnvironment, migratedSchema, testEnvironment } from '@lakemirror/test-environment';
import { AppCode, AppProcess, startAppProcess, uniqueName, waitFor } from '@lakemirror/testing';
import { DataSource } from 'typeorm';

export const FAST_PIPELINE = {
  LAKEMIRROR_SCAN_INTERVAL_MS: '300',
  LAKEMIRROR_TAG_SCAN_INTERVAL_MS: '300',
  LAKEMIRROR_RETRY_BASE_MS: '200',
  LAKEMIRROR_RETRY_CAP_MS: '1500',
  LAKEMIRROR_LOG_LEVEL: 'info',
};

export class PipelineUnderTest {
  readonly env: TestEnvironment = testEnvironment();
  readonly prefix = uniqueName('lmq');
  readonly processes = new Map<string, AppProcess>();
  /** Processes killed or stopped, kept for their output. */
  private readonly ended: { name: string; process: AppProcess }[] = [];
  private readonly queues = new Map<QueueName, Queue>();
  db!: DataSource;
  private schema!: Awaited<ReturnType<typeof migratedSchema>>;

  /** `from: 'dist'` runs the apps' production bundles instead of their sources. */
  constructor(
    private readonly settings: Record<string, string> = {},
    private readonly options: { from?: AppCode } = {},
  ) {}

  get api(): AppProcess {
    return this.processes.get('api') as AppProcess;
  }

  get appEnv(): Record<string, string> {
    return {
      ...FAST_PIPELINE,
      LAKEMIRROR_DATABASE_SCHEMA: this.schema.schema,
      LAKEMIRROR_QUEUE_PREFIX: this.prefix,
      LAKEMIRROR_ADMIN_USERS: 'admin',
      ...this.settings,
    };
  }

  /** Starts `apps` (names like "verifier" or "verifier#2" for a second one). */
  async start(...apps: string[]): Promise<void> {
    this.schema ??= await migratedSchema('lm_e2e', this.settings.LAKEMIRROR_DATABASE_URL);
    this.db = this.schema.db;
    // Every app that did start is kept (and so stopped by stop()), even when another failed to.
    const started = await Promise.allSettled(
      apps.map(async (name) => this.processes.set(name, await startAppProcess(name.split('#')[0], this.appEnv, this.options))),
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A pipeline queue as the apps under test see it (their Redis, their prefix); closed by stop(). */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: { url: this.settings.LAKEMIRROR_REDIS_URL ?? this.env.config.redisUrl }, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async kill(name: string): Promise<void> {
    const app = this.processes.get(name);
    await app?.kill();
    if (app) this.ended.push({ name, process: app });
    this.processes.delete(name);
  }

  /** Freezes (SIGSTOP) or resumes (SIGCONT) an app, as a long GC pause or a suspended VM would. */
  signal(name: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
    const app = this.processes.get(name);
    if (!app) throw new Error(`no process named ${name}`);
    process.kill(app.pid, signal);
  }

  /** The output of every process this pipeline ran, running or ended, each with a key unique to the process. */
  allOutput(): { key: string; output: string }[] {
    return [...this.ended, ...[...this.processes].map(([name, process]) => ({ name, process }))].map(({ name, process }) => ({
      key: `${name}:${process.pid}`,
      output: process.output(),
    }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    this.ended.push(...[...this.processes].map(([name, process]) => ({ name, process })));
    this.processes.clear();
    await this.schema?.drop();
  }

  get auth(): Record<string, string> {
    const { accessKeyId, secretAccessKey } = this.env.config.source.lakefs;
    return { authorization: `Basic ${Buffer.from(`${accessKeyId}:${secretAccessKey.reveal()}`).toString('base64')}` };
  }

  /** A source repository with its namespace on region A; its mirror's namespace has the same keys on region B. */
  async createSourceRepository(prefix: string): Promise<string> {
    const repository = uniqueName(prefix);
    await this.env.source.lakefs.createRepository({
      name: repository,
      storage_namespace: `s3://${this.env.source.bucket}/mirrors/${repository}`,
      default_branch: 'main',
    });
    return repository;
  }

  mirrorNamespace(repository: string): string {
    return `s3://${this.env.regionB.bucket}/mirrors/${repository}`;
  }

  /** Creates the mirror through the API, as a user would. */
  async createMirror(repository: string): Promise<string> {
    const name = `${repository}-m`;
    const response = await fetch(`${this.api.url}/service/replication/v1/repositories/${repository}/mirrors`, {
      method: 'POST',
      headers: { ...this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name, region: 'region-b', storage_namespace: this.mirrorNamespace(repository) }),
    });
    if (response.status !== 201) throw new Error(`creating the mirror: ${response.status} ${await response.text()}`);
    return name;
  }

  async status(repository: string, mirror: string): Promise<MirrorStatus> {
    const response = await fetch(`${this.api.url}/service/replication/v1/repositories/${repository}/mirrors/${mirror}/status`, { headers: this.auth });
    if (!response.ok) throw new Error(`status: ${response.status} ${await response.text()}`);
    return (await response.json()) as MirrorStatus;
  }

  async deleteRepositories(repository: string, mirror?: string): Promise<void> {
    await this.env.source.lakefs.deleteRepository(repository).catch(() => undefined);
    if (mirror) await this.env.regionB.lakefs.deleteRepository(mirror, { force: true }).catch(() => undefined);
  }
}

/** Uploads `count` small objects under `prefix` and commits them. */
export async function commitObjects(
  lakefs: LakefsClient,
  repository: string,
  branch: string,
  prefix: string,
  count: number,
  message = `${count} objects under ${prefix}`,
): Promise<Commit> {
  await mapWithConcurrency(
    Array.from({ length: count }, (_, i) => i),
    16,
    (i) => lakefs.uploadObject(repository, branch, `${prefix}/object-${String(i).padStart(6, '0')}.txt`, `${repository} ${branch} ${prefix} ${i}`),
  );
  return lakefs.commit(repository, branch, { message });
}

/** The head of a mirror branch, or undefined while it does not exist. */
export async function mirrorHead(lakefs: LakefsClient, mirror: string, branch: string): Promise<string | undefined> {
  try {
    return (await lakefs.getBranch(mirror, branch)).commit_id;
  } catch (error) {
    if (error instanceof LakefsNotFoundError) return undefined;
    throw error;
  }
}

/** Waits until MinIO has replicated every object of the source repository's namespace to region B. */
export async function waitUntilReplicated(pipeline: PipelineUnderTest, repository: string): Promise<void> {
  const { source, regionB } = pipeline.env;
  const keys = await collect(listKeys(source.s3, source.bucket, `mirrors/${repository}/`));
  await waitFor(
    `${keys.length} objects of ${repository} to reach region B`,
    async () => (await findMissingKeys(regionB.s3, regionB.bucket, keys)).missing.length === 0,
    {
      timeoutMs: 120_000,
    },
  );
}

/** Waits until every branch of the source has the same head on the mirror (and the mirror has no other branch). */
export async function waitUntilMirrored(pipeline: PipelineUnderTest, repository: string, mirror: string, timeoutMs = 120_000): Promise<void> {
  const { source, regionB } = pipeline.env;
  await waitFor(
    `mirror ${mirror} to catch up with ${repository}`,
    async () => {
      const wanted = (await collect(source.lakefs.listBranches(repository))).map((b) => `${b.id}=${b.commit_id}`).sort();
      const got = (await collect(regionB.lakefs.listBranches(mirror)).catch(() => [])).map((b) => `${b.id}=${b.commit_id}`).sort();
      return JSON.stringify(wanted) === JSON.stringify(got);
    },
    { timeoutMs, intervalMs: 300 },
  );
}
