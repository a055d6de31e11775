import { DynamicModule, Module, Provider } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TerminusModule } from '@nestjs/terminus';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { PersistenceModule } from '@lakemirror/persistence';
import { ALL_QUEUES, assertRedisKeepsJobs, defaultJobOptions, redisConnectionOptions } from '@lakemirror/queues';
import { BranchFollowingService } from './branch-following.service';
import { CommitFailures } from './commit-failures.service';
import { FailoverService } from './failover/failover.service';
import { ConsistencyAuditor } from './consistency-auditor.service';
import { ConsistencyAudits } from './consistency-audits.service';
import { LagHistoryService } from './lag-history.service';
import { MirrorContexts } from './mirror-contexts';
import { MirrorPauseService } from './mirror-pause.service';
import { PipelineHealth } from './pipeline-health';
import { PipelineMetrics } from './pipeline-metrics';
import { PIPELINE_FLOWS, PipelineQueues } from './pipeline-queues';
import { LateObjects } from './late-objects.service';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { MirrorPlanLock } from './mirror-plan-lock';
import { PlannerService } from './planner.service';
import { PromoterService } from './promoter.service';
import { ReconcilerService } from './reconciler.service';
import { RegionClients } from './region-clients';
import { RegionReachability } from './region-reachability';
import { ScannerService } from './scanner.service';
import { SourceScannerService } from './source-scanner.service';
import { StatusService } from './status.service';
import { TagPromoterService } from './tag-promoter.service';
import { TagScannerService } from './tag-scanner.service';
import { VerifierService } from './verifier.service';
import { CommitSweepService } from './commit-sweep.service';
import { AuditProcessor } from './workers/audit.processor';
import { LagSampleTimer } from './workers/lag-sample-timer';
import { PromoteProcessor } from './workers/promote.processor';
import { ScanProcessor } from './workers/scan.processor';
import { ScanTimer } from './workers/scan-timer';
import { VerifyProcessor } from './workers/verify.processor';

/** Which workers a process runs: the apps scanner, verifier and promoter each run one role; the API none. */
export type PipelineRole = 'scanner' | 'verifier' | 'promoter';

const ROLE_WORKERS: Record<PipelineRole, Provider[]> = {
  scanner: [ScanProcessor, ScanTimer, LagSampleTimer],
  verifier: [VerifyProcessor, AuditProcessor],
  promoter: [PromoteProcessor],
};

@Module({})
export class PipelineModule {
  /**
   * The pipeline for an app: PostgreSQL (PersistenceModule), the queues on Redis (BullModule),
   * the services, and the workers of the given roles (none for the API).
   */
  static forRoles(roles: PipelineRole[], settings: PipelineSettings): DynamicModule {
    return {
      module: PipelineModule,
      imports: [
        PersistenceModule.forRoot(),
        TerminusModule,
        BullModule.forRootAsync({
          inject: [LAKEMIRROR_CONFIG],
          // A Redis that may evict keys would lose jobs silently: refused before any queue connects.
          useFactory: async (config: LakemirrorConfig) => {
            const connection = redisConnectionOptions(config.redisUrl, config.redisTls);
            await assertRedisKeepsJobs(connection);
            return { connection, prefix: config.queuePrefix };
          },
        }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name, defaultJobOptions: defaultJobOptions(settings.retry) }))),
        BullModule.registerFlowProducer({ name: PIPELINE_FLOWS }),
      ],
      providers: [
        { provide: PIPELINE_SETTINGS, useValue: settings },
        RegionClients,
        RegionReachability,
        MirrorContexts,
        PipelineQueues,
        ReconcilerService,
        ScannerService,
        SourceScannerService,
        MirrorPlanLock,
        PlannerService,
        VerifierService,
        CommitSweepService,
        PromoterService,
        StatusService,
        BranchFollowingService,
        LagHistoryService,
        CommitFailures,
        FailoverService,
        ConsistencyAuditor,
        ConsistencyAudits,
        PipelineMetrics,
        PipelineHealth,
        LateObjects,
        MirrorPauseService,
        TagScannerService,
        TagPromoterService,
        ...roles.flatMap((role) => ROLE_WORKERS[role]),
      ],
      exports: [
        BranchFollowingService,
        MirrorPauseService,
        PIPELINE_SETTINGS,
        RegionClients,
        MirrorContexts,
        ScannerService,
        StatusService,
        CommitFailures,
        FailoverService,
        ConsistencyAudits,
        PipelineMetrics,
        PipelineHealth,
        PipelineQueues,
        LateObjects,
      ],
    };
  }
}
