import type { EnvReader, RetrySettings } from '@lakemirror/config';

/** Nest injection token of the validated PipelineSettings. */
export const PIPELINE_SETTINGS = Symbol('PIPELINE_SETTINGS');

/** Tuning of the scanner, verifier and promoter; every value has a default and a validated range. */
export interface PipelineSettings {
  /** How often every active mirror is scanned. */
  scanIntervalMs: number;
  /**
   * How often an interval's poll of a source also lists its tags (see TagListingSchedule); at the
   * default poll interval, every poll does.
   */
  tagScanIntervalMs: number;
  /** Objects per verify-chunk job: a large range is split into chunks of at most this many entries. */
  chunkObjects: number;
  /**
   * A commit with at least this many objects to check is checked in one sweep (its range files read
   * once, its namespace listed once) instead of chunk by chunk, where each chunk's LIST would span
   * most of a partition.
   */
  sweepObjects: number;
  /** Jobs a verifier process runs at once. */
  verifyConcurrency: number;
  /** Object-store requests one chunk keeps in flight. */
  requestConcurrency: number;
  /**
   * LIST streams a sweep splits one partition folder into at most, when the commit has too few
   * folders to keep `requestConcurrency` requests in flight (see listingPlan). 1, the default,
   * never splits: MinIO pays in CPU for every span. On S3, where a page costs the same wherever a
   * listing starts, more spans shorten the sweep of a commit with few folders.
   */
  sweepSpansPerFolder: number;
  /** Retries of a check that found something missing (or failed), before its flow is planned afresh. */
  retry: RetrySettings;
  /** After this long missing, a commit's missing objects make the mirror "stalled". */
  stallAfterSeconds: number;
  /** On SIGTERM, how long running jobs may take to finish before they are handed back (keep it under the orchestrator's grace period). */
  shutdownGraceMs: number;
  /** How often the scanner samples every branch's lag into the lag history (the status page's sparklines). */
  lagSampleIntervalMs: number;
  /** How long lag samples are kept (at most 7 days: the history is for the status page, not an archive). */
  lagRetentionHours: number;
}

export function readPipelineSettings(env: EnvReader): PipelineSettings {
  return {
    // Polling is the safety net: lakeFS hooks (bin/lakemirror hooks) ask for a scan the moment a branch or tag moves.
    scanIntervalMs: env.integer('LAKEMIRROR_SCAN_INTERVAL_MS', 60_000, 200, 3_600_000),
    tagScanIntervalMs: env.integer('LAKEMIRROR_TAG_SCAN_INTERVAL_MS', 60_000, 200, 3_600_000),
    chunkObjects: env.integer('LAKEMIRROR_VERIFY_CHUNK_OBJECTS', 5_000, 1, 1_000_000),
    sweepObjects: env.integer('LAKEMIRROR_VERIFY_SWEEP_OBJECTS', 10_000, 1, 1_000_000_000),
    verifyConcurrency: env.integer('LAKEMIRROR_VERIFY_CONCURRENCY', 4, 1, 256),
    requestConcurrency: env.integer('LAKEMIRROR_VERIFY_REQUEST_CONCURRENCY', 16, 1, 1_024),
    sweepSpansPerFolder: env.integer('LAKEMIRROR_VERIFY_SWEEP_SPANS_PER_FOLDER', 1, 1, 64),
    retry: {
      attempts: env.integer('LAKEMIRROR_RETRY_ATTEMPTS', 20, 1, 1_000),
      baseMs: env.integer('LAKEMIRROR_RETRY_BASE_MS', 500, 10, 3_600_000),
      capMs: env.integer('LAKEMIRROR_RETRY_CAP_MS', 30_000, 10, 3_600_000),
    },
    stallAfterSeconds: env.integer('LAKEMIRROR_STALL_AFTER_SECONDS', 600, 1, 7 * 24 * 3600),
    shutdownGraceMs: env.integer('LAKEMIRROR_SHUTDOWN_GRACE_MS', 20_000, 0, 3_600_000),
    lagSampleIntervalMs: env.integer('LAKEMIRROR_LAG_SAMPLE_INTERVAL_MS', 60_000, 1_000, 3_600_000),
    lagRetentionHours: env.integer('LAKEMIRROR_LAG_RETENTION_HOURS', 24, 1, 7 * 24),
  };
}
