import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { ScannerService } from '../scanner.service';
import { RepeatingTask } from './repeating-task';

/**
 * Every scan interval, enqueues a scan of every active mirror. A timer per scanner process
 * rather than a BullMQ job scheduler: a scheduler lives in Redis and would be lost with it.
 */
@Injectable()
export class ScanTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: RepeatingTask;

  constructor(scanner: ScannerService, @Inject(PIPELINE_SETTINGS) settings: PipelineSettings, log: PinoLogger) {
    this.task = new RepeatingTask(
      () => {
        // Tells a poll from an on-demand scan (a lakeFS hook's), e.g. in the hooks end-to-end test.
        log.debug('scan interval elapsed: enqueuing a scan of every active mirror');
        return scanner.scanAll();
      },
      settings.scanIntervalMs,
      (error) => log.warn({ err: error }, 'could not enqueue the scans (Redis or PostgreSQL unavailable?); next tick retries'),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
