import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { CommitFailures } from '../commit-failures.service';
import { CommitSweepService } from '../commit-sweep.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { PlannerService } from '../planner.service';
import { VerifierService } from '../verifier.service';
import { PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/** The verifier's worker: plans commits and checks their chunks (or sweeps large commits), LAKEMIRROR_VERIFY_CONCURRENCY jobs at once. */
@Processor(QueueName.CommitVerify, pipelineWorkerOptions(QueueName.CommitVerify))
export class VerifyProcessor extends PipelineProcessor {
  constructor(
    planner: PlannerService,
    verifier: VerifierService,
    sweeper: CommitSweepService,
    @Inject(PIPELINE_SETTINGS) settings: PipelineSettings,
    log: PinoLogger,
    failures: CommitFailures,
  ) {
    super(
      QueueName.CommitVerify,
      {
        'plan-commit': ({ mirrorId, commitId, generation }) => planner.planCommit(mirrorId, commitId, generation),
        'verify-chunk': (data, job) => verifier.verifyChunk(data, (checked) => job.updateProgress({ checked })),
        'verify-sweep': (data, job) => sweeper.sweep(data, (progress) => job.updateProgress(progress)),
      },
      { concurrency: settings.verifyConcurrency, retry: settings.retry, shutdownGraceMs: settings.shutdownGraceMs },
      log,
      failures,
    );
  }
}
