import { z } from 'zod';
import { badRequest } from '../common/api-errors';
import { branchFilterPatchField } from './branch-filter-request';
import { maxLagSecondsField } from './max-lag-seconds';

/**
 * What a PATCH of a mirror may change: every field optional, absent means unchanged. A new
 * setting is one more entry here and its handling in MirrorUpdateService; `OPTIONS` are not
 * changes themselves but say how to make one.
 */
const CHANGES = {
  /** Changes the branch filter: `include`, `exclude` or both (a list left out stays as it is). */
  branches: branchFilterPatchField.optional(),
  /** Starts or stops following the source's tags. */
  mirror_tags: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  /** Sets the staleness limit of the mirror's branches, or with null removes it. */
  max_lag_seconds: maxLagSecondsField.optional(),
};

const OPTIONS = {
  /** What becomes of the mirror branches the new filter no longer follows (default: keep). */
  unfollowed_branches: z.enum(['keep', 'delete'], { errorMap: () => ({ message: 'must be "keep" or "delete"' }) }).optional(),
};

const CHANGE_FIELDS = Object.keys(CHANGES);

const schema = z
  .object({ ...CHANGES, ...OPTIONS })
  .strict()
  .superRefine((update, ctx) => {
    if (update.unfollowed_branches !== undefined && update.branches === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['unfollowed_branches'], message: 'applies only with "branches"' });
    }
  });

/** The body of a PATCH of a mirror. */
export type MirrorUpdateRequest = z.infer<typeof schema>;

/** Validates a mirror update. @throws 400 with a message per field (e.g. `branches.include.1`). */
export function parseMirrorUpdateRequest(body: unknown): MirrorUpdateRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(`request body must be a JSON object with at least one of: ${CHANGE_FIELDS.join(', ')}`);
  }
  const result = schema.safeParse(body);
  if (result.success) {
    const update: Record<string, unknown> = result.data;
    if (CHANGE_FIELDS.some((field) => update[field] !== undefined)) return result.data;
    throw badRequest(`nothing to change: the request must set at least one of: ${CHANGE_FIELDS.join(', ')}`, { body: 'changes nothing' });
  }
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors[[...issue.path, key].join('.')] = 'is not a known field';
    else errors[issue.path.join('.') || 'body'] = issue.message;
  }
  throw badRequest(
    `invalid mirror update: ${Object.entries(errors)
      .map(([field, message]) => `${field} ${message}`)
      .join('; ')}`,
    errors,
  );
}
