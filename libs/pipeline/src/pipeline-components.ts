import type { LakemirrorConfig } from '@lakemirror/config';
import { assertSchemaMigrated, createDataSource } from '@lakemirror/persistence';
import { assertNoEviction } from '@lakemirror/queues';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { BranchStore } from './branch.store';
import { CommitStore } from './commit.store';
import { MirrorContexts } from './mirror-context';
import { PipelineQueues } from './pipeline-queues';
import type { PipelineSettings } from './pipeline-settings';
import { PlannerService } from './planner.service';
import { PromoterService } from './promoter.service';
import { Reconciler } from './reconciler.service';
import { ScannerService } from './scanner.service';
import { StatusService } from './status.service';
import { VerificationStore } from './verification.store';
import { VerifierService } from './verifier.service';

/** The pipeline's parts wired together over one PostgreSQL pool and one Redis connection. */
export interface PipelineComponents {
  db: DataSource;
  queues: PipelineQueues;
  contexts: MirrorContexts;
  scanner: ScannerService;
  reconciler: Reconciler;
  planner: PlannerService;
  verifier: VerifierService;
  promoter: PromoterService;
  status: StatusService;
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL (refusing an unmigrated schema) and to Redis (refusing one that may
 * evict keys), and builds every service. Nothing is left open when a check fails.
 */
export async function createPipeline(config: LakemirrorConfig, settings: PipelineSettings, log: Logger): Promise<PipelineComponents> {
  const db = await createDataSource(config.databaseUrl, { schema: config.databaseSchema }).initialize();
  const queues = new PipelineQueues(config.redisUrl, config.queuePrefix, settings.retry);
  try {
    await assertSchemaMigrated(db);
    await queues.connection.connect();
    await assertNoEviction(queues.connection);
  } catch (error) {
    await queues.close().catch(() => undefined);
    await db.destroy();
    throw error;
  }
  const contexts = new MirrorContexts(config, db);
  const commits = new CommitStore(db);
  const branches = new BranchStore(db);
  const verification = new VerificationStore(db);
  const reconciler = new Reconciler(commits, branches, queues, log);
  return {
    db,
    queues,
    contexts,
    reconciler,
    scanner: new ScannerService(contexts, commits, branches, queues, reconciler, log),
    planner: new PlannerService(contexts, commits, verification, queues, settings, log),
    verifier: new VerifierService(contexts, commits, verification, settings, log),
    promoter: new PromoterService(db, contexts, commits, branches, verification, log),
    status: new StatusService(db, commits, branches, verification, settings.stallAfterSeconds),
    async close() {
      await queues.close();
      contexts.close();
      await db.destroy();
    },
  };
}
