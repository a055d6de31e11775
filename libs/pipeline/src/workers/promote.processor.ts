import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { CommitFailures } from '../commit-failures.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { PromoterService } from '../promoter.service';
import { PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/** The promoter's worker: records verified commits and moves mirror branches. */
@Processor(QueueName.CommitPromote, pipelineWorkerOptions(QueueName.CommitPromote))
export class PromoteProcessor extends PipelineProcessor {
  constructor(promoter: PromoterService, @Inject(PIPELINE_SETTINGS) settings: PipelineSettings, log: PinoLogger, failures: CommitFailures) {
    super(
      QueueName.CommitPromote,
      {
        'commit-verified': ({ mirrorId, commitId }) => promoter.commitVerified(mirrorId, commitId),
        'promote-mirror': ({ mirrorId }) => promoter.promoteMirror(mirrorId),
      },
      { concurrency: 2, retry: settings.retry, shutdownGraceMs: settings.shutdownGraceMs },
      log,
      failures,
    );
  }
}
