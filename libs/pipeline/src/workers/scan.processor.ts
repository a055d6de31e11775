import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { QueueName } from '@lakemirror/queues';
import { PinoLogger } from 'nestjs-pino';
import { CommitFailures } from '../commit-failures.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { ScannerService } from '../scanner.service';
import { SourceScannerService } from '../source-scanner.service';
import { PipelineProcessor, pipelineWorkerOptions } from './pipeline-processor';

/** The scanner's worker: a job scans one mirror (on demand) or every mirror of one source repository (each interval); a few at once. */
@Processor(QueueName.MirrorScan, pipelineWorkerOptions(QueueName.MirrorScan))
export class ScanProcessor extends PipelineProcessor {
  constructor(
    scanner: ScannerService,
    sources: SourceScannerService,
    @Inject(PIPELINE_SETTINGS) settings: PipelineSettings,
    log: PinoLogger,
    failures: CommitFailures,
  ) {
    super(
      QueueName.MirrorScan,
      {
        'scan-mirror': ({ mirrorId }) => scanner.scanMirror(mirrorId),
        'scan-source': ({ sourceRepository }) => sources.scanSource(sourceRepository),
      },
      { concurrency: 4, retry: settings.retry, shutdownGraceMs: settings.shutdownGraceMs },
      log,
      failures,
    );
  }
}
