import { QueueName } from '@lakemirror/queues';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { PipelineComponents } from './pipeline-components';
import type { PipelineSettings } from './pipeline-settings';
import { startPipelineWorker } from './pipeline-worker';

export type PipelineRole = 'scanner' | 'verifier' | 'promoter';

/** What a role runs: its workers, and for the scanner the scan timer. */
export interface RunningRole {
  stop(): Promise<void>;
}

/** Starts the workers of one role; the scanner also ticks every scan interval. */
export function startRole(role: PipelineRole, pipeline: PipelineComponents, settings: PipelineSettings, log: Logger): RunningRole {
  const workers = startWorkers(role, pipeline, settings, log);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (role === 'scanner') {
    const tick = () =>
      pipeline.scanner
        .scanAll()
        .catch((error: unknown) => log.warn({ err: error }, 'could not enqueue the scans (Redis or PostgreSQL unavailable?); next tick retries'))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, settings.scanIntervalMs);
        });
    void tick();
  }
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

function startWorkers(role: PipelineRole, pipeline: PipelineComponents, settings: PipelineSettings, log: Logger): Worker[] {
  switch (role) {
    case 'scanner':
      return [startPipelineWorker(pipeline.queues, QueueName.MirrorScan, { 'scan-mirror': ({ mirrorId }) => pipeline.scanner.scanMirror(mirrorId) }, { concurrency: 4, log })];
    case 'verifier':
      return [
        startPipelineWorker(
          pipeline.queues,
          QueueName.CommitVerify,
          {
            'plan-commit': ({ mirrorId, commitId, generation }) => pipeline.planner.planCommit(mirrorId, commitId, generation),
            'verify-chunk': (data, job) => pipeline.verifier.verifyChunk(data, (checked) => job.updateProgress({ checked })),
          },
          { concurrency: settings.verifyConcurrency, log },
        ),
      ];
    case 'promoter':
      return [
        startPipelineWorker(
          pipeline.queues,
          QueueName.CommitPromote,
          {
            'commit-verified': ({ mirrorId, commitId }) => pipeline.promoter.commitVerified(mirrorId, commitId),
            'promote-mirror': ({ mirrorId }) => pipeline.promoter.promoteMirror(mirrorId),
          },
          { concurrency: 2, log },
        ),
      ];
  }
}
