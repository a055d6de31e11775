import { z } from 'zod';
import { InvalidStorageNamespaceError, parseStorageNamespace } from '@lakemirror/object-store';
import { badRequest } from '../common/api-errors';
import { REPOSITORY_ID } from '../common/names';
import { branchFilterField } from './branch-filter-request';
import { maxLagSecondsField } from './max-lag-seconds';

/** The body of a create-mirror request, as in lakeFS Cloud's replication API. */
export interface MirrorRequest {
  name: string;
  region: string;
  storage_namespace: string;
  /** Mirror the source's tags too (each once its commit is recorded on the mirror); default true. */
  mirror_tags?: boolean;
  /** How old a branch's lag may grow before the branch is stale (status, metrics, freshness); absent or null: no limit. */
  max_lag_seconds?: number | null;
  /** Which source branches to follow (glob patterns); default every branch. */
  branches?: { include: string[]; exclude: string[] };
}

const schema = z
  .object({
    name: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .regex(REPOSITORY_ID, 'must be 3-63 lowercase letters, digits and dashes, starting with a letter or digit'),
    region: z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).min(1, 'must not be empty').max(63, 'is too long'),
    storage_namespace: z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).superRefine((value, ctx) => {
      try {
        parseStorageNamespace(value);
      } catch (error) {
        if (!(error instanceof InvalidStorageNamespaceError)) throw error;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be s3://bucket/prefix: ${error.reason}` });
      }
    }),
    mirror_tags: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
    max_lag_seconds: maxLagSecondsField.optional(),
    branches: branchFilterField.optional(),
  })
  .strict();

/** Validates a create-mirror body. @throws 400 with a message per field. */
export function parseMirrorRequest(body: unknown): MirrorRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('request body must be a JSON object with name, region and storage_namespace');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors[[...issue.path, key].join('.')] = 'is not a known field';
    else errors[issue.path.join('.') || 'body'] = issue.message;
  }
  throw badRequest(
    `invalid mirror request: ${Object.entries(errors)
      .map(([f, m]) => `${f} ${m}`)
      .join('; ')}`,
    errors,
  );
}
