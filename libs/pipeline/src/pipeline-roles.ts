import { QueueName } from '@lakemirror/queues';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { PipelineComponents } from './pipeline-components';
import type { PipelineSettings } from './pipeline-settings';
import { startPipelineWorker } from './pipeline-worker';

export type PipelineRole = 'scanner' | 'verifier' | 'promoter';

const SCAN_SCHEDULER = 'scan-all-mirrors';

/**
 * Starts the workers of one role. The scanner also keeps the scan schedule (a BullMQ job
 * scheduler: one tick per interval however many scanners run) and reconciles at start-up.
 */
export async function startRole(role: PipelineRole, pipeline: PipelineComponents, settings: PipelineSettings, log: Logger): Promise<Worker[]> {
  switch (role) {
    case 'scanner': {
      const worker = startPipelineWorker(
        pipeline.queues,
        QueueName.MirrorScan,
        { 'scan-all': () => pipeline.scanner.scanAll(), 'scan-mirror': ({ mirrorId }) => pipeline.scanner.scanMirror(mirrorId) },
        { concurrency: 4, log },
      );
      await pipeline.queues
        .queue(QueueName.MirrorScan)
        .upsertJobScheduler(SCAN_SCHEDULER, { every: settings.scanIntervalMs }, { name: 'scan-all', data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } });
      return [worker];
    }
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
