// Test and benchmark support: the pipeline's Nest module in-process, on the caller's
// configuration (a PostgreSQL schema and a queue prefix of its own), with direct access to its
// services and repositories.
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RuntimeModule } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import type { LakefsClient } from '@lakemirror/lakefs-client';
import type { DataSource } from 'typeorm';
import {
  BranchStateRepository,
  CommitChunkRepository,
  MirrorCommitRepository,
  MissingObjectRepository,
  VerifiedRangeRepository,
} from '@lakemirror/persistence';
import { CommitFailures } from './commit-failures.service';
import { LateObjects } from './late-objects.service';
import { MirrorContexts } from './mirror-contexts';
import { PipelineMetrics } from './pipeline-metrics';
import { PipelineRole, PipelineModule } from './pipeline.module';
import { PipelineQueues } from './pipeline-queues';
import type { PipelineSettings } from './pipeline-settings';
import { PlannerService } from './planner.service';
import { PromoterService } from './promoter.service';
import { ReconcilerService } from './reconciler.service';
import { ScannerService } from './scanner.service';
import { StatusService } from './status.service';
import { VerifierService } from './verifier.service';
import { CommitSweepService } from './commit-sweep.service';

@Module({})
class PipelineFixtureModule {}

export interface PipelineUnderTest {
  app: INestApplicationContext;
  scanner: ScannerService;
  planner: PlannerService;
  verifier: VerifierService;
  sweeper: CommitSweepService;
  promoter: PromoterService;
  reconciler: ReconcilerService;
  status: StatusService;
  queues: PipelineQueues;
  commits: MirrorCommitRepository;
  branches: BranchStateRepository;
  chunks: CommitChunkRepository;
  missing: MissingObjectRepository;
  verifiedRanges: VerifiedRangeRepository;
  contexts: MirrorContexts;
  failures: CommitFailures;
  lateObjects: LateObjects;
  metrics: PipelineMetrics;
  /** Records a source head as the scanner does. */
  observe(mirrorId: string, branch: string, head: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts the pipeline in this process, running the workers of `roles` (none: services only). */
export async function createPipeline(
  config: LakemirrorConfig,
  settings: PipelineSettings,
  roles: PipelineRole[] = [],
  logLevel = 'silent',
): Promise<PipelineUnderTest> {
  const app = await NestFactory.createApplicationContext(
    {
      module: PipelineFixtureModule,
      imports: [
        RuntimeModule.forApp('pipeline-test', { ...config, logLevel: logLevel as LakemirrorConfig['logLevel'] }),
        PipelineModule.forRoles(roles, settings),
      ],
    },
    { logger: false, abortOnError: false },
  );
  await app.init();
  const get = <T>(type: Type<T>) => app.get(type, { strict: false });
  return {
    app,
    scanner: get(ScannerService),
    planner: get(PlannerService),
    verifier: get(VerifierService),
    sweeper: get(CommitSweepService),
    promoter: get(PromoterService),
    reconciler: get(ReconcilerService),
    status: get(StatusService),
    queues: get(PipelineQueues),
    commits: get(MirrorCommitRepository),
    branches: get(BranchStateRepository),
    chunks: get(CommitChunkRepository),
    missing: get(MissingObjectRepository),
    verifiedRanges: get(VerifiedRangeRepository),
    contexts: get(MirrorContexts),
    failures: get(CommitFailures),
    lateObjects: get(LateObjects),
    metrics: get(PipelineMetrics),
    observe: (mirrorId, branch, head) => get(ScannerService).observe(mirrorId, branch, head),
    close: () => app.close(),
  };
}

/**
 * Registers a mirror as the API leaves one, without the API: its read-only, bare repository on
 * the region's lakeFS and its active row in PostgreSQL.
 */
export async function registerMirror(
  db: DataSource,
  destination: LakefsClient,
  mirror: { id: string; sourceRepository: string; storageNamespace: string; region?: string },
): Promise<void> {
  await destination.createRepository({ name: mirror.id, storage_namespace: mirror.storageNamespace, default_branch: 'main', read_only: true }, { bare: true });
  await db.query(`INSERT INTO mirrors (id, source_repository, region, storage_namespace, state, created_by) VALUES ($1, $2, $3, $4, 'active', 'test')`, [
    mirror.id,
    mirror.sourceRepository,
    mirror.region ?? 'region-b',
    mirror.storageNamespace,
  ]);
}
