import { z } from 'zod';

/** One year: a larger limit is almost certainly a unit mistake (milliseconds for seconds). */
export const MAX_LAG_SECONDS_LIMIT = 31_536_000;

/**
 * The `max_lag_seconds` field of a mirror's create or update request: whole seconds from 1 to a
 * year, or null for no limit (the mirror's branches are then never stale).
 */
export const maxLagSecondsField = z
  .number({ invalid_type_error: 'must be a whole number of seconds or null' })
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1')
  .max(MAX_LAG_SECONDS_LIMIT, `must be at most ${MAX_LAG_SECONDS_LIMIT} (one year)`)
  .nullable();
