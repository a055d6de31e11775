import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a unique-constraint violation. */
export const UNIQUE_VIOLATION = '23505';

/** True when `error` is PostgreSQL refusing a row that would duplicate a unique key (matched by SQLSTATE, not message). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION;
}
