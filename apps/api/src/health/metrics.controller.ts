import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Public } from '@lakemirror/app-runtime';
import { ALL_QUEUES } from '@lakemirror/queues';
import { PIPELINE, PipelineComponents } from '@lakemirror/pipeline';

/** Prometheus metrics: the API process, and the pipeline's state read from PostgreSQL and Redis at each scrape. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();
  private readonly refresh: () => Promise<void>;

  constructor(@Inject(PIPELINE) private readonly pipeline: PipelineComponents) {
    collectDefaultMetrics({ register: this.registry, prefix: 'lakemirror_api_' });
    const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [this.registry] });
    const lagSeconds = gauge('lakemirror_branch_lag_seconds', 'Age of the oldest source commit of the branch not yet on the mirror', ['mirror', 'branch']);
    const lagCommits = gauge('lakemirror_branch_lag_commits', 'Source commits of the branch not yet recorded on the mirror', ['mirror', 'branch']);
    const inFlight = gauge('lakemirror_commits_in_flight', 'Commits discovered but not yet recorded on the mirror', ['mirror']);
    const missing = gauge('lakemirror_missing_objects', 'Objects commits need that have not reached the mirror region', ['mirror']);
    const stalled = gauge('lakemirror_mirror_stalled', '1 when an object has been missing longer than the stall threshold', ['mirror']);
    const jobs = gauge('lakemirror_queue_jobs', 'Jobs per queue and state', ['queue', 'state']);
    this.refresh = async () => {
      for (const g of [lagSeconds, lagCommits, inFlight, missing, stalled, jobs]) g.reset();
      for (const mirror of await this.pipeline.contexts.activeMirrorIds()) {
        const status = await this.pipeline.status.mirrorStatus(mirror);
        for (const b of status.branches) {
          lagSeconds.set({ mirror, branch: b.branch }, b.lag_seconds);
          lagCommits.set({ mirror, branch: b.branch }, b.lag_commits);
        }
        inFlight.set({ mirror }, status.in_flight.length);
        missing.set({ mirror }, status.in_flight.reduce((n, c) => n + c.missing_objects.length, 0));
        stalled.set({ mirror }, status.stalled ? 1 : 0);
      }
      for (const queue of ALL_QUEUES) {
        const counts = await this.pipeline.queues.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children');
        for (const [state, count] of Object.entries(counts)) jobs.set({ queue, state }, count);
      }
    };
  }

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    await this.refresh();
    return this.registry.metrics();
  }
}
