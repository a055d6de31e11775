import { QueueName } from './queue-names';

/**
 * The pipeline's jobs: one payload type per job name, and the queue each lives on. Job names
 * and payload fields are stored in Redis: never rename them without draining the queues.
 * Payloads carry identifiers only; workers reload the truth from PostgreSQL.
 */
export interface JobPayloads {
  /** List the source branches of one mirror and discover new commits. */
  'scan-mirror': { mirrorId: string };
  /** The scan interval's scan of every mirror of one source repository, from one listing of its branches. */
  'scan-source': { sourceRepository: string };
  /** Read a commit's metarange from the mirror bucket and fan its checks out as a flow. */
  'plan-commit': { mirrorId: string; commitId: string; generation: number };
  /** Check one chunk of one range: the range file and every object it references. */
  'verify-chunk': { mirrorId: string; commitId: string; generation: number; rangeId: string; firstEntry: number; endEntry: number };
  /** Check every unchecked chunk of a large commit in one pass: its range files read once, its namespace listed once. */
  'verify-sweep': { mirrorId: string; commitId: string; generation: number };
  /** Flow parent: every chunk of the commit passed; record it and move branches. */
  'commit-verified': { mirrorId: string; commitId: string; generation: number };
  /** Record every verified commit whose parents are in place, then move the mirror's branches. */
  'promote-mirror': { mirrorId: string };
  /** Re-verify, from the mirror region alone, everything the mirror's branch heads and tags reference (a consistency audit). */
  'audit-mirror': { mirrorId: string; auditId: string };
}

export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { readonly [name in JobName]: QueueName } = {
  'scan-mirror': QueueName.MirrorScan,
  'scan-source': QueueName.MirrorScan,
  'plan-commit': QueueName.CommitVerify,
  'verify-chunk': QueueName.CommitVerify,
  'verify-sweep': QueueName.CommitVerify,
  'commit-verified': QueueName.CommitPromote,
  'promote-mirror': QueueName.CommitPromote,
  'audit-mirror': QueueName.MirrorAudit,
};

/** The job names a worker of `queue` must handle. */
export function jobsOf(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
}

/**
 * Deterministic job IDs: the same work enqueued twice collapses into one job. A commit's
 * generation grows each time its verification is planned afresh (after a failed flow or a
 * lost Redis), so a new flow never collides with the remains of an old one. BullMQ reserves
 * ":" in custom IDs; mirror names, commit and range IDs never contain it.
 */
export const jobId = {
  scanMirror: (p: JobPayloads['scan-mirror']) => `scan-${p.mirrorId}`,
  /** The scan queued behind a running one (see ScannerService.enqueueScanAfterNow). */
  rescanMirror: (p: JobPayloads['scan-mirror']) => `rescan-${p.mirrorId}`,
  /** Never one of a mirror's scan IDs above, which start with "scan-" or "rescan-". */
  scanSource: (p: JobPayloads['scan-source']) => `source-scan-${p.sourceRepository}`,
  planCommit: (p: JobPayloads['plan-commit']) => `plan-${p.mirrorId}-${p.commitId}-g${p.generation}`,
  verifyChunk: (p: JobPayloads['verify-chunk']) => `verify-${p.mirrorId}-${p.commitId}-g${p.generation}-${p.rangeId}-${p.firstEntry}`,
  verifySweep: (p: JobPayloads['verify-sweep']) => `sweep-${p.mirrorId}-${p.commitId}-g${p.generation}`,
  commitVerified: (p: JobPayloads['commit-verified']) => `verified-${p.mirrorId}-${p.commitId}-g${p.generation}`,
  auditMirror: (p: JobPayloads['audit-mirror']) => `audit-${p.mirrorId}-${p.auditId}`,
};
