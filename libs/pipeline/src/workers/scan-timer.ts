import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { ScannerService } from '../scanner.service';

/**
 * Every scan interval, enqueues a scan of every active mirror. A timer per scanner process
 * rather than a BullMQ job scheduler: a scheduler lives in Redis and would be lost with it.
 */
@Injectable()
export class ScanTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private tick?: Promise<void>;

  constructor(
    private readonly scanner: ScannerService,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.tick = this.scanner
        .scanAll()
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not enqueue the scans (Redis or PostgreSQL unavailable?); next tick retries'))
        .finally(() => {
          if (!this.stopped) this.schedule(this.settings.scanIntervalMs);
        });
    }, delayMs);
  }
}
