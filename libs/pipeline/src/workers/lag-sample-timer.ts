import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { LagHistoryService } from '../lag-history.service';
import { PIPELINE_SETTINGS, PipelineSettings } from '../pipeline-settings';
import { RepeatingTask } from './repeating-task';

/**
 * Every lag sample interval, samples every branch's lag into the lag history. Several scanner
 * processes may each run one: samples are keyed by interval, so they write each interval once.
 */
@Injectable()
export class LagSampleTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: RepeatingTask;

  constructor(history: LagHistoryService, @Inject(PIPELINE_SETTINGS) settings: PipelineSettings, log: PinoLogger) {
    this.task = new RepeatingTask(
      () => history.sample(),
      settings.lagSampleIntervalMs,
      (error) => log.warn({ err: error }, 'could not sample the lag history (PostgreSQL unavailable?); next tick retries'),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
