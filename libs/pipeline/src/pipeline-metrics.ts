import { Injectable } from '@nestjs/common';
import { COMMIT_FAILURE_REASONS } from '@lakemirror/mirroring';
import { ALL_QUEUES } from '@lakemirror/queues';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { MirrorContexts } from './mirror-contexts';
import { PipelineQueues } from './pipeline-queues';
import { StatusService } from './status.service';

/** Prometheus metrics of the process and of the pipeline's state, read from PostgreSQL and Redis at each scrape. */
@Injectable()
export class PipelineMetrics {
  private readonly registry = new Registry();
  private readonly lagSeconds = this.gauge('lakemirror_branch_lag_seconds', 'Age of the oldest source commit of the branch not yet on the mirror', [
    'mirror',
    'branch',
  ]);
  private readonly lagCommits = this.gauge('lakemirror_branch_lag_commits', 'Source commits of the branch not yet recorded on the mirror', [
    'mirror',
    'branch',
  ]);
  private readonly inFlight = this.gauge('lakemirror_commits_in_flight', 'Commits discovered but not yet recorded on the mirror', ['mirror']);
  private readonly missing = this.gauge('lakemirror_missing_objects', 'Objects commits need that have not reached the mirror region', ['mirror']);
  private readonly stalled = this.gauge('lakemirror_mirror_stalled', '1 when an object has been missing longer than the stall threshold', ['mirror']);
  private readonly stale = this.gauge('lakemirror_branch_stale', "1 when the branch is staler than its mirror's max_lag_seconds", ['mirror', 'branch']);
  private readonly paused = this.gauge('lakemirror_mirror_paused', '1 while the mirror is paused', ['mirror']);
  // `reason` takes its values from a closed list (COMMIT_FAILURE_REASONS), never from error text.
  private readonly failed = this.gauge('lakemirror_commits_failed', 'Commits that failed for good and wait for an operator retry, by reason', [
    'mirror',
    'reason',
  ]);
  private readonly jobs = this.gauge('lakemirror_queue_jobs', 'Jobs per queue and state', ['queue', 'state']);

  constructor(
    private readonly contexts: MirrorContexts,
    private readonly status: StatusService,
    private readonly queues: PipelineQueues,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'lakemirror_api_' });
  }

  /** The metrics in Prometheus's text format, refreshed now. */
  async scrape(): Promise<string> {
    for (const g of [this.lagSeconds, this.lagCommits, this.inFlight, this.missing, this.stalled, this.failed, this.jobs, this.stale, this.paused]) g.reset();
    for (const mirror of await this.contexts.activeMirrorIds()) {
      const status = await this.status.mirrorStatus(mirror);
      for (const b of status.branches) {
        this.lagSeconds.set({ mirror, branch: b.branch }, b.lag_seconds);
        this.lagCommits.set({ mirror, branch: b.branch }, b.lag_commits);
        this.stale.set({ mirror, branch: b.branch }, b.stale ? 1 : 0);
      }
      this.inFlight.set({ mirror }, status.in_flight.length);
      this.missing.set(
        { mirror },
        status.in_flight.reduce((n, c) => n + c.missing_objects.length, 0),
      );
      this.stalled.set({ mirror }, status.stalled ? 1 : 0);
      this.paused.set({ mirror }, status.paused ? 1 : 0);
      for (const reason of COMMIT_FAILURE_REASONS) {
        this.failed.set({ mirror, reason }, status.in_flight.filter((c) => c.failure_reason === reason).length);
      }
    }
    for (const queue of ALL_QUEUES) {
      const counts = await this.queues.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children');
      for (const [state, count] of Object.entries(counts)) this.jobs.set({ queue, state }, count);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
