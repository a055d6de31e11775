import { z } from 'zod';
import type { Policy } from './policy.types';

const statementSchema = z.object({
  action: z.array(z.string().min(1).max(256)).min(1).max(100),
  effect: z.enum(['allow', 'deny']),
  resource: z.string().min(1).max(2048),
});

export const policySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.@+-]{1,128}$/, 'must be 1-128 letters, digits or _.@+-'),
  statement: z.array(statementSchema).min(1).max(100),
});

export class InvalidPolicyError extends Error {
  readonly code = 'INVALID_POLICY';

  constructor(readonly problems: string[]) {
    super(`invalid policy: ${problems.join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/** Validates a policy document. @throws InvalidPolicyError with one message per problem. */
export function parsePolicy(document: unknown): Policy {
  const result = policySchema.safeParse(document);
  if (!result.success) {
    throw new InvalidPolicyError(result.error.issues.map((issue) => `${issue.path.join('.') || 'policy'}: ${issue.message}`));
  }
  return result.data;
}
