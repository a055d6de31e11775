import { z } from 'zod';
import { actionProblem } from './actions';
import { conditionProblems } from './conditions';
import type { Policy } from './policy.types';
import { resourceProblems } from './resources';

// Strict: an unknown key (a misspelt or capitalised "condition") must be refused, never dropped,
// or a conditional statement would be stored as an unconditional one.
const statementSchema = z
  .object({
    action: z.array(z.string().min(1).max(256)).min(1).max(100),
    effect: z.enum(['allow', 'deny']),
    resource: z.string().min(1).max(2048),
    condition: z.record(z.string().max(128), z.record(z.string().max(128), z.array(z.string().max(256)).max(100))).optional(),
  })
  .strict();

export const policySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.@+-]{1,128}$/, 'must be 1-128 letters, digits or _.@+-'),
  statement: z.array(statementSchema).min(1).max(100),
});

/** One problem of a policy document: where (`statement.0.action.1`) and what. */
export interface PolicyProblem {
  path: string;
  message: string;
}

export class InvalidPolicyError extends Error {
  readonly code = 'INVALID_POLICY';

  constructor(readonly problems: PolicyProblem[]) {
    super(`invalid policy: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/** What lakeFS would not evaluate as written: unknown actions, bad ARNs, malformed resource lists and conditions. */
function meaningProblems(policy: Policy): PolicyProblem[] {
  return policy.statement.flatMap((statement, index) => {
    const at = `statement.${index}`;
    const problems: PolicyProblem[] = [];
    statement.action.forEach((action, i) => {
      const problem = actionProblem(action);
      if (problem) problems.push({ path: `${at}.action.${i}`, message: problem });
    });
    for (const message of resourceProblems(statement.resource)) problems.push({ path: `${at}.resource`, message });
    if (statement.condition) {
      for (const [path, message] of conditionProblems(statement.condition, `${at}.condition`)) problems.push({ path, message });
    }
    return problems;
  });
}

/**
 * Validates a policy document when it is written: its shape, then that every action is known,
 * every resource a well-formed ARN (or list of them) and every condition one lakemirror
 * evaluates as lakeFS does. @throws InvalidPolicyError naming each problem's statement and field.
 */
export function parsePolicy(document: unknown): Policy {
  const result = policySchema.safeParse(document);
  if (!result.success) {
    throw new InvalidPolicyError(result.error.issues.map((issue) => ({ path: issue.path.join('.') || 'policy', message: issue.message })));
  }
  const problems = meaningProblems(result.data);
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return result.data;
}
