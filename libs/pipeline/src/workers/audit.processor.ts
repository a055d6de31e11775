import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { CommitFailures } from '../commit-failures.service';
import { ConsistencyAuditor } from '../consistency-auditor.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/**
 * The verifier's audit worker: one consistency audit at a time per process, beside the
 * verification jobs, so that a long audit never holds a commit's checks back.
 */
@Processor(QueueName.MirrorAudit, pipelineWorkerOptions(QueueName.MirrorAudit))
export class AuditProcessor extends PipelineProcessor {
  constructor(auditor: ConsistencyAuditor, @Inject(PIPELINE_SETTINGS) settings: PipelineSettings, log: PinoLogger, failures: CommitFailures) {
    super(
      QueueName.MirrorAudit,
      {
        'audit-mirror': (data, job) =>
          auditor.audit(data, {
            reportProgress: (progress) => job.updateProgress(progress),
            finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          }),
      },
      { concurrency: 1, retry: settings.retry, shutdownGraceMs: settings.shutdownGraceMs },
      log,
      failures,
    );
  }
}
