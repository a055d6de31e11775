import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { CommitFailures } from '../commit-failures.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { ScannerService } from '../scanner.service';
import { PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/** The scanner's worker: scans of one mirror at a time per job, a few mirrors at once. */
@Processor(QueueName.MirrorScan, pipelineWorkerOptions(QueueName.MirrorScan))
export class ScanProcessor extends PipelineProcessor {
  constructor(scanner: ScannerService, @Inject(PIPELINE_SETTINGS) settings: PipelineSettings, log: PinoLogger, failures: CommitFailures) {
    super(
      QueueName.MirrorScan,
      { 'scan-mirror': ({ mirrorId }) => scanner.scanMirror(mirrorId) },
      { concurrency: 4, retry: settings.retry, shutdownGraceMs: settings.shutdownGraceMs },
      log,
      failures,
    );
  }
}
