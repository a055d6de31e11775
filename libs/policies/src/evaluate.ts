import { arnMatch } from './arn';
import { ConditionContext, ConditionError, conditionHolds } from './conditions';
import type { Permission, Policy } from './policy.types';
import { parseResourceList } from './resources';
import { wildcardMatch } from './wildcard';

export type Decision = 'allow' | 'deny' | 'neutral';

/** Why a check was denied without a matching deny statement: a policy lakeFS could not evaluate. */
export interface DenyCause {
  policy: string;
  statement: number;
  problem: string;
}

interface Evaluation {
  decision: Decision;
  cause?: DenyCause;
}

/**
 * lakeFS's evaluation of one permission (CheckPermissions in pkg/auth/service.go), statement by
 * statement: a condition is evaluated first and, when it does not hold, the statement is
 * skipped; a condition that cannot be evaluated or a resource list that does not parse denies
 * the whole check; a matching deny wins; otherwise any matching allow allows; otherwise
 * neutral (which is not allowed). `${user}` in a resource stands for the user's ID.
 */
function evaluateWithCause(policies: readonly Policy[], permission: Permission, userId: string, context: ConditionContext): Evaluation {
  let decision: Decision = 'neutral';
  for (const policy of policies) {
    for (const [index, statement] of policy.statement.entries()) {
      const cause = (problem: string): Evaluation => ({ decision: 'deny', cause: { policy: policy.id, statement: index, problem } });
      try {
        if (!conditionHolds(statement.condition, context)) continue;
      } catch (error) {
        if (error instanceof ConditionError) return cause(`condition: ${error.message}`);
        throw error;
      }
      const resources = parseResourceList(statement.resource);
      if (!resources) return cause('malformed resource');
      const resourceMatches = resources.some((r) => arnMatch(r.replaceAll('${user}', userId), permission.resource));
      if (!resourceMatches || !statement.action.some((a) => wildcardMatch(a, permission.action))) continue;
      if (statement.effect === 'deny') return { decision: 'deny' };
      decision = 'allow';
    }
  }
  return { decision };
}

/** The decision of the user's policies on one permission, in the request's condition context (none: conditions on any field fail). */
export function evaluate(policies: readonly Policy[], permission: Permission, userId: string, context: ConditionContext = {}): Decision {
  return evaluateWithCause(policies, permission, userId, context).decision;
}

export interface AuthorizationResult {
  allowed: boolean;
  /** The first required permission that was denied or not granted, and what denied it when no deny statement did. */
  missing?: Permission & { decision: Decision; cause?: DenyCause };
}

/** Every permission in `required` must be allowed (lakeFS's AND node: the first one not allowed decides). */
export function authorize(policies: readonly Policy[], required: readonly Permission[], userId: string, context: ConditionContext = {}): AuthorizationResult {
  for (const permission of required) {
    const { decision, cause } = evaluateWithCause(policies, permission, userId, context);
    if (decision !== 'allow') return { allowed: false, missing: cause ? { ...permission, decision, cause } : { ...permission, decision } };
  }
  return { allowed: true };
}
