/**
 * The pipeline's BullMQ queues. These names are stored in Redis (keys, job IDs, Bull Board):
 * never rename one without a migration that drains the old queue.
 */
export const QueueName = {
  MirrorScan: 'mirror-scan',
  CommitVerify: 'commit-verify',
  CommitPromote: 'commit-promote',
  MirrorAudit: 'mirror-audit',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
