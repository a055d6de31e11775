import { z } from 'zod';
import { badRequest } from '../common/api-errors';

/** The body of a promote request: the mirror's ID again, as confirmation, and whether to leave verified work behind. */
export interface PromoteRequest {
  confirm: string;
  force: boolean;
}

/**
 * Validates a promote body for the mirror `mirrorId`. A promotion cannot be undone, so the body
 * must name the mirror (`confirm`), as a typed confirmation. @throws 400 naming each field.
 */
export function parsePromoteRequest(body: unknown, mirrorId: string): PromoteRequest {
  const mustConfirm = `must be the mirror's ID ("${mirrorId}") to confirm the promotion, which cannot be undone`;
  const schema = z
    .object({
      confirm: z.string({ required_error: mustConfirm, invalid_type_error: mustConfirm }).refine((value) => value === mirrorId, mustConfirm),
      force: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
    })
    .strict();
  const result = schema.safeParse(body === undefined || body === null ? {} : body);
  if (result.success) return { confirm: result.data.confirm, force: result.data.force ?? false };
  const errors: Record<string, string> = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    errors.confirm = mustConfirm;
  } else {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors[key] = 'is not a known field';
      else errors[issue.path.join('.') || 'body'] = issue.message;
    }
  }
  throw badRequest(
    `invalid promote request: ${Object.entries(errors)
      .map(([field, message]) => `${field} ${message}`)
      .join('; ')}`,
    errors,
  );
}
